import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mediaListResponseSchema, mediaSchema } from '@isola/contracts';
import { PrismaClient, type Media } from '@isola/database';
import { createMedia, createStorageTarget } from '@isola/database/seed';
import { adminStore, openMediaStudio, signedIn, type MediaStudio, type SignedInUser } from '../support/media-studio.js';
import { UploadApi } from '../support/upload-api.js';
import { createTestTenant, startTestApi, WEB_ORIGIN } from '../support/test-app.js';

/** The media library API against real PostgreSQL (and the local RGW for deletes). */
describe('media API: list, get, rename, delete (PostgreSQL, RGW)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  let outsider: SignedInUser;
  let staff: SignedInUser;

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'media');
    const otherTenant = await createTestTenant(app);
    outsider = await signedIn(app, { tenantId: otherTenant.id, role: 'admin' });
    staff = await signedIn(app, { staff: 'admin' });
  });
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  const get = (path: string, cookie: string) => request(app.getHttpServer()).get(path).set('cookie', cookie);

  /** Media of the studio's tenant in its target, oldest first (1 s apart: creation order = list order). */
  async function seedMedia(specs: Array<Partial<Media>>): Promise<Media[]> {
    const base = Date.now() - 3_600_000;
    const rows: Media[] = [];
    for (const [i, spec] of specs.entries()) {
      rows.push(await createMedia(prisma, { storageTargetId: studio.target.id, createdAt: new Date(base + i * 1000), ...spec }));
    }
    return rows;
  }

  describe('GET /api/media', () => {
    let rows: Media[];

    beforeAll(async () => {
      rows = await seedMedia([
        { filename: 'Interview_A.mov', kind: 'video', status: 'ready' },
        { filename: 'poster.PNG', kind: 'image', status: 'ready', contentType: 'image/png' },
        { filename: 'interview b.mp4', kind: 'video', status: 'uploaded', progress: 40 },
        { filename: 'deleted interview.mp4', kind: 'video', status: 'deleted' },
        { filename: 'score.wav', kind: 'audio', status: 'failed', failureReason: 'SIZE_MISMATCH' },
        { filename: 'INTERVIEW c.mxf', kind: 'video', status: 'transcoding' },
      ]);
      // another tenant's media never shows
      await createMedia(prisma, { filename: 'interview of another studio.mp4' });
    });

    it('pages newest first with an opaque cursor, excluding deleted media and other tenants', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(
          `/api/media?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
          studio.member.cookie,
        ).expect(200);
        const body = mediaListResponseSchema.parse(res.body);
        seen.push(...body.items.map((item) => item.filename));
        cursor = body.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 10);
      expect(seen).toEqual(['INTERVIEW c.mxf', 'score.wav', 'interview b.mp4', 'poster.PNG', 'Interview_A.mov']);
      expect(pages).toBe(3);
    });

    it('filters by status, type and filename (case-insensitive)', async () => {
      const names = async (query: string) =>
        ((await get(`/api/media?${query}`, studio.member.cookie).expect(200)).body.items as Array<{ filename: string }>).map(
          (m) => m.filename,
        );
      expect(await names('status=ready')).toEqual(['poster.PNG', 'Interview_A.mov']);
      expect(await names('type=video')).toEqual(['INTERVIEW c.mxf', 'interview b.mp4', 'Interview_A.mov']);
      expect(await names('q=interview')).toEqual(['INTERVIEW c.mxf', 'interview b.mp4', 'Interview_A.mov']);
      expect(await names('q=INTERVIEW&type=video&status=uploaded')).toEqual(['interview b.mp4']);
      expect(await names('q=_A')).toEqual(['Interview_A.mov']); // `_` is a character, not a wildcard
      expect(await names('status=deleted')).toEqual([]);
    });

    it('shows progress and the full media shape', async () => {
      const res = await get('/api/media?q=interview%20b', studio.member.cookie).expect(200);
      const item = mediaSchema.parse(res.body.items[0]);
      expect(item).toMatchObject({ id: rows[2]!.id, status: 'uploaded', progress: 40, storageTargetId: studio.target.id, renditions: [] });
    });

    it('refuses a forged cursor and bad filters → 400', async () => {
      const forged = await get('/api/media?cursor=not-a-cursor', studio.member.cookie).expect(400);
      expect(forged.body.code).toBe('INVALID_CURSOR');
      const badStatus = await get('/api/media?status=lost', studio.member.cookie).expect(400);
      expect(badStatus.body.code).toBe('VALIDATION_FAILED');
      const badLimit = await get('/api/media?limit=1000', studio.member.cookie).expect(400);
      expect(badLimit.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('GET|PATCH /api/media/:id', () => {
    it('returns one media with its renditions', async () => {
      const [media] = await seedMedia([{ filename: 'with renditions.mp4', status: 'ready' }]);
      await prisma.rendition.create({
        data: {
          mediaId: media!.id,
          storageTargetId: studio.target.id,
          kind: 'thumbnail',
          objectKey: `isola/media/${media!.id}/renditions/thumb.jpg`,
          sizeBytes: 2048n,
          sha256: 'b'.repeat(64),
          width: 320,
          height: 180,
          contentType: 'image/jpeg',
        },
      });
      const res = await get(`/api/media/${media!.id}`, studio.member.cookie).expect(200);
      expect(mediaSchema.parse(res.body).renditions).toEqual([
        { kind: 'thumbnail', sizeBytes: 2048, contentType: 'image/jpeg', width: 320, height: 180, durationMs: null, codec: null },
      ]);
    });

    it("answers another tenant's ids, deleted media and malformed ids with 404 MEDIA_NOT_FOUND", async () => {
      const [mine, deleted] = await seedMedia([{}, { status: 'deleted' }]);
      const foreign = await createMedia(prisma, {});
      for (const [path, cookie] of [
        [`/api/media/${mine!.id}`, outsider.cookie],
        [`/api/media/${mine!.id}/links`, outsider.cookie],
        [`/api/media/${foreign.id}`, studio.member.cookie],
        [`/api/media/${deleted!.id}`, studio.member.cookie],
        ['/api/media/not-a-uuid', studio.member.cookie],
        ['/api/media/not-a-uuid/links', studio.member.cookie],
      ] as const) {
        const res = await get(path, cookie);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'MEDIA_NOT_FOUND' });
      }
      const patch = await request(app.getHttpServer())
        .patch(`/api/media/${mine!.id}`)
        .set('origin', WEB_ORIGIN)
        .set('cookie', outsider.cookie)
        .send({ filename: 'stolen.mp4' });
      expect(patch.status).toBe(404);
      const del = await request(app.getHttpServer())
        .delete(`/api/media/${mine!.id}`)
        .set('origin', WEB_ORIGIN)
        .set('cookie', outsider.cookie);
      expect(del.status).toBe(404);
      expect((await prisma.media.findUniqueOrThrow({ where: { id: mine!.id } })).status).not.toBe('deleted');
    });

    it('renames (any member), with the upload filename rule, and audits it', async () => {
      const [media] = await seedMedia([{ filename: 'old.mp4' }]);
      const res = await request(app.getHttpServer())
        .patch(`/api/media/${media!.id}`)
        .set('origin', WEB_ORIGIN)
        .set('cookie', studio.member.cookie)
        .send({ filename: '  ../Plan B\u0000 — final.mp4  ' })
        .expect(200);
      expect(res.body.filename).toBe('_Plan B — final.mp4');
      expect((await prisma.media.findUniqueOrThrow({ where: { id: media!.id } })).objectKey).toBe(media!.objectKey);
      const audit = await prisma.auditEvent.findFirstOrThrow({
        where: { action: 'media.rename', details: { path: ['mediaId'], equals: media!.id } },
      });
      expect(audit).toMatchObject({ tenantId: studio.tenant.id, actorUserId: studio.member.id });
      const empty = await request(app.getHttpServer())
        .patch(`/api/media/${media!.id}`)
        .set('origin', WEB_ORIGIN)
        .set('cookie', studio.member.cookie)
        .send({ filename: '   ' });
      expect(empty.body.code).toBe('VALIDATION_FAILED');
    });

    it('refuses staff without a tenant (403) and anonymous callers (401)', async () => {
      const [media] = await seedMedia([{}]);
      for (const path of ['/api/media', `/api/media/${media!.id}`, `/api/media/${media!.id}/links`]) {
        expect((await get(path, staff.cookie)).status).toBe(403);
        expect((await request(app.getHttpServer()).get(path)).status).toBe(401);
      }
      const patch = await request(app.getHttpServer())
        .patch(`/api/media/${media!.id}`)
        .set('origin', WEB_ORIGIN)
        .set('cookie', staff.cookie)
        .send({ filename: 'x.mp4' });
      expect(patch.status).toBe(403);
    });
  });

  describe('POST /api/media/:id/reprocess', () => {
    const reprocess = (id: string, cookie: string) =>
      request(app.getHttpServer()).post(`/api/media/${id}/reprocess`).set('origin', WEB_ORIGIN).set('cookie', cookie);

    it('issues a fresh one-time grant and a transcode job, back to uploaded, audited (tenant admins only)', async () => {
      const [media] = await seedMedia([{ filename: 'again.mp4', status: 'failed', failureReason: 'CORRUPT_MEDIA' }]);
      await reprocess(media!.id, studio.member.cookie).expect(403);
      const res = await reprocess(media!.id, studio.tenantAdmin.cookie).expect(200);
      expect(res.body).toMatchObject({ id: media!.id, status: 'uploaded', failureReason: null, progress: 0 });

      const grants = await prisma.transcodeGrant.findMany({ where: { mediaId: media!.id } });
      expect(grants).toHaveLength(1);
      expect(grants[0]).toMatchObject({ consumedAt: null, issuedBy: studio.tenantAdmin.id, reason: 'media.reprocess' });
      expect(grants[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 25 * 60_000);
      const jobs = await prisma.outboxMessage.findMany({
        where: { jobName: 'Media.Transcode', payload: { equals: { mediaId: media!.id } } },
      });
      expect(jobs).toHaveLength(1);
      const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: 'media.reprocess', tenantId: studio.tenant.id } });
      expect(audit).toMatchObject({ actorUserId: studio.tenantAdmin.id, details: { mediaId: media!.id, grantId: grants[0]!.id } });
      await prisma.outboxMessage.updateMany({ where: { id: { in: jobs.map((j) => j.id) } }, data: { relayedAt: new Date() } });
    });

    it('refuses a media still in flight, and other tenants’ media', async () => {
      const [busy] = await seedMedia([{ filename: 'busy.mp4', status: 'transcoding' }]);
      expect((await reprocess(busy!.id, studio.tenantAdmin.cookie).expect(409)).body.code).toBe('MEDIA_NOT_REPROCESSABLE');
      const foreign = await createMedia(prisma, { status: 'failed' });
      expect((await reprocess(foreign.id, studio.tenantAdmin.cookie).expect(404)).body.code).toBe('MEDIA_NOT_FOUND');
    });
  });

  describe('DELETE /api/media/:id', () => {
    const del = (id: string, cookie: string) =>
      request(app.getHttpServer()).delete(`/api/media/${id}`).set('origin', WEB_ORIGIN).set('cookie', cookie);

    it('is for tenant admins only', async () => {
      const [media] = await seedMedia([{}]);
      const res = await del(media!.id, studio.member.cookie);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    });

    it("soft-deletes; an isolated studio's objects stay unless it opted in to deletes", async () => {
      const [media] = await seedMedia([{ filename: 'keep objects.mp4', status: 'ready' }]);
      await del(media!.id, studio.tenantAdmin.cookie).expect(204);
      const row = await prisma.media.findUniqueOrThrow({ where: { id: media!.id } });
      expect(row.status).toBe('deleted');
      expect(row.deletedAt).not.toBeNull();
      expect((await get(`/api/media/${media!.id}`, studio.member.cookie)).status).toBe(404);
      const audit = await prisma.auditEvent.findFirstOrThrow({
        where: { action: 'media.delete', details: { path: ['mediaId'], equals: media!.id } },
      });
      expect(audit).toMatchObject({ tenantId: studio.tenant.id, purpose: null, sessionName: null, objectKeys: [media!.objectKey] });
      expect(audit.details).toMatchObject({ objectsDeleted: false, objectsRetainedBecause: 'TENANT_KEEPS_OBJECTS' });
      expect((await del(media!.id, studio.tenantAdmin.cookie)).status).toBe(404);
    });

    it('aborts the open upload of a media deleted while uploading', async () => {
      const upload = await new UploadApi(app, studio.member.cookie).start(10, 'abandoned.mp4');
      await del(upload.mediaId, studio.tenantAdmin.cookie).expect(204);
      const media = await prisma.media.findUniqueOrThrow({ where: { id: upload.mediaId }, include: { multipartUpload: true } });
      expect(media.status).toBe('deleted');
      expect(media.multipartUpload?.status).toBe('aborted');
      const audit = await prisma.auditEvent.findFirstOrThrow({
        where: { action: 'media.delete', details: { path: ['mediaId'], equals: upload.mediaId } },
      });
      expect(audit.details).toMatchObject({ uploadAborted: true, uploadSessionName: expect.any(String) });
    });

    it('mints `delete` credentials where objects may be deleted (hosted, or isolated with opt-in), deletes them and audits it', async () => {
      await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { deleteObjectsEnabled: true } });
      try {
        const [media] = await seedMedia([{ filename: 'remove objects.mp4', status: 'ready' }]);
        const store = adminStore(studio);
        await store.putObject({ key: media!.objectKey, body: Buffer.from('source bytes'), contentType: 'video/mp4' });
        await del(media!.id, studio.tenantAdmin.cookie).expect(204);
        const audit = await prisma.auditEvent.findFirstOrThrow({
          where: { action: 'media.delete', details: { path: ['mediaId'], equals: media!.id } },
        });
        expect(audit).toMatchObject({ tenantId: studio.tenant.id, purpose: 'delete', storageTargetId: studio.target.id });
        expect(audit.sessionName).toBeTruthy();
        expect(audit.details).toMatchObject({ mediaId: media!.id, objectsDeleted: true });
        // S3 itself: the source is gone
        await expect(store.headObject(media!.objectKey)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
        store.destroy();
      } finally {
        await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { deleteObjectsEnabled: false } });
      }

      const hosted = await createStorageTarget(prisma, {
        tenantId: studio.tenant.id,
        mode: 'hosted',
        endpoint: studio.target.endpoint,
        bucket: studio.target.bucket,
        roleArn: studio.target.roleArn,
        prefix: 'hosted-tenant',
        status: 'verified',
      });
      const media = await createMedia(prisma, { storageTargetId: hosted.id, status: 'ready' });
      await del(media.id, studio.tenantAdmin.cookie).expect(204);
      const audit = await prisma.auditEvent.findFirstOrThrow({
        where: { action: 'media.delete', details: { path: ['mediaId'], equals: media.id } },
      });
      expect(audit).toMatchObject({ purpose: 'delete', storageTargetId: hosted.id });
    });
  });
});
