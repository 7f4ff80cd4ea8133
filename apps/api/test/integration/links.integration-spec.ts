import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mediaLinksResponseSchema } from '@isola/contracts';
import { CredentialEvents, type CredentialIssuedEvent } from '@isola/credentials';
import { PrismaClient } from '@isola/database';
import { createMedia, createStorageTarget } from '@isola/database/seed';
import { renditionKey } from '@isola/tenant-storage';
import { adminStore, openMediaStudio, type MediaStudio } from '../support/media-studio.js';
import { randomPart, UploadApi } from '../support/upload-api.js';
import { startTestApi } from '../support/test-app.js';

/** GET /api/media/:id/links: presigned GETs from the media's own target, audited in the request. */
describe('media links (RGW, PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let studio: MediaStudio;
  const issued: CredentialIssuedEvent[] = [];

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    studio = await openMediaStudio(app, 'links');
    const events = app.get(CredentialEvents, { strict: false });
    const onIssued = events.onIssued.bind(events);
    events.onIssued = (event) => {
      issued.push(event);
      onIssued(event);
    };
  });
  afterAll(async () => {
    await studio?.destroy();
    await app?.close();
  });

  const links = (id: string) => request(app.getHttpServer()).get(`/api/media/${id}/links`).set('cookie', studio.member.cookie);

  /** A media uploaded through the API (one part), plus a thumbnail rendition written as the worker would. */
  async function uploadedMedia(filename: string): Promise<{ mediaId: string; key: string; bytes: Uint8Array; thumbKey: string }> {
    const api = new UploadApi(app, studio.member.cookie);
    const bytes = randomPart(70_000);
    const upload = await api.start(bytes.length, filename);
    const etag = await api.putPart(upload, 1, bytes);
    await api.complete(upload.uploadId, { key: upload.key }, { parts: [{ PartNumber: 1, ETag: etag }] }).expect(200);
    const thumbKey = renditionKey(studio.target.prefix, upload.mediaId, 'thumb.jpg');
    const store = adminStore(studio);
    await store.putObject({ key: thumbKey, body: 'jpeg bytes', contentType: 'image/jpeg' });
    store.destroy();
    await prisma.rendition.create({
      data: {
        mediaId: upload.mediaId,
        storageTargetId: studio.target.id,
        kind: 'thumbnail',
        objectKey: thumbKey,
        sizeBytes: 10n,
        sha256: 'c'.repeat(64),
        contentType: 'image/jpeg',
      },
    });
    return { mediaId: upload.mediaId, key: upload.key, bytes, thumbKey };
  }

  it('links the source as a download with its filename, and each rendition, for the configured lifetime', async () => {
    const media = await uploadedMedia('Montage final — v2.mp4');
    const before = Date.now();
    const res = await links(media.mediaId).expect(200);
    // links are bearer secrets: no cache may keep the response
    expect(res.headers['cache-control']).toBe('no-store');
    const body = mediaLinksResponseSchema.parse(res.body);
    expect(Object.keys(body.renditions)).toEqual(['thumbnail']);

    const source = await fetch(body.source.url);
    expect(source.status).toBe(200);
    expect(Buffer.from(await source.arrayBuffer()).equals(Buffer.from(media.bytes))).toBe(true);
    expect(source.headers.get('content-disposition')).toBe(
      `attachment; filename="Montage final _ v2.mp4"; filename*=UTF-8''Montage%20final%20%E2%80%94%20v2.mp4`,
    );
    const thumb = await fetch(body.renditions.thumbnail!.url);
    expect(await thumb.text()).toBe('jpeg bytes');
    expect(thumb.headers.get('content-disposition')).toMatch(/^inline; filename="Montage final _ v2\.thumbnail\.jpg"/);

    // LINK_LIFETIME_SECONDS (default 15 min), never beyond the credential
    const lifetime = (new Date(body.source.expiresAt).getTime() - before) / 1000;
    expect(lifetime).toBeGreaterThan(880);
    expect(lifetime).toBeLessThanOrEqual(901);

    const audit = await prisma.auditEvent.findMany({
      where: { action: 'media.links', details: { path: ['mediaId'], equals: media.mediaId } },
    });
    expect(audit).toHaveLength(1);
    const row = audit[0]!;
    expect(row).toMatchObject({
      tenantId: studio.tenant.id,
      actorUserId: studio.member.id,
      purpose: 'link',
      storageTargetId: studio.target.id,
      objectKeys: [media.key, media.thumbKey],
      expiresAt: new Date(body.source.expiresAt),
    });
    const linkCredential = issued.find((event) => event.scope.purpose === 'link' && event.target.id === studio.target.id);
    expect(row.sessionName).toBe(linkCredential?.sessionName);
  });

  it("uses the tenant's own shorter link lifetime", async () => {
    const media = await uploadedMedia('short-lived.mp4');
    await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { linkLifetimeSeconds: 120 } });
    try {
      const before = Date.now();
      const body = mediaLinksResponseSchema.parse((await links(media.mediaId).expect(200)).body);
      const lifetime = (new Date(body.source.expiresAt).getTime() - before) / 1000;
      expect(lifetime).toBeGreaterThan(115);
      expect(lifetime).toBeLessThanOrEqual(121);
      const url = new URL(body.source.url);
      expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    } finally {
      await prisma.tenant.update({ where: { id: studio.tenant.id }, data: { linkLifetimeSeconds: 900 } });
    }
  });

  it("signs on the media's own target, even when the tenant's active target is another one", async () => {
    const old = await createStorageTarget(prisma, {
      tenantId: studio.tenant.id,
      mode: 'isolated',
      endpoint: studio.target.endpoint,
      bucket: studio.target.bucket,
      roleArn: studio.target.roleArn,
      prefix: 'previous',
      status: 'verified',
    });
    const media = await createMedia(prisma, { storageTargetId: old.id, status: 'ready', filename: 'archived.mov' });
    const store = adminStore(studio, old);
    await store.putObject({ key: media.objectKey, body: 'old bytes', contentType: 'video/quicktime' });
    store.destroy();

    const res = await links(media.id).expect(200);
    expect(new URL(res.body.source.url).pathname).toBe(`/${studio.target.bucket}/previous/media/${media.id}/source/archived.mov`);
    expect(await (await fetch(res.body.source.url)).text()).toBe('old bytes');
    const row = await prisma.auditEvent.findFirstOrThrow({
      where: { action: 'media.links', details: { path: ['mediaId'], equals: media.id } },
    });
    expect(row.storageTargetId).toBe(old.id);

    await prisma.storageTarget.update({ where: { id: old.id }, data: { status: 'revoked' } });
    const revoked = await links(media.id);
    expect({ status: revoked.status, code: revoked.body.code }).toEqual({ status: 409, code: 'STORAGE_ACCESS_REVOKED' });
  });

  it('has no link for a source not stored yet → 409 MEDIA_NOT_READY', async () => {
    for (const status of ['uploading', 'failed'] as const) {
      const media = await createMedia(prisma, { storageTargetId: studio.target.id, status });
      const res = await links(media.id);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'MEDIA_NOT_READY' });
    }
    const countBefore = await prisma.auditEvent.count({ where: { tenantId: studio.tenant.id, action: 'media.links' } });
    expect(countBefore).toBe(3); // only the three successful requests above wrote rows
  });

  it('every credential minted here is in the audit log with its tenant and purpose', async () => {
    expect(issued.length).toBeGreaterThan(0);
    const rows = await prisma.auditEvent.findMany({ where: { tenantId: studio.tenant.id, sessionName: { not: null } } });
    for (const event of issued) {
      const row = rows.find((r) => r.sessionName === event.sessionName && r.purpose === event.scope.purpose);
      expect({ sessionName: event.sessionName, found: row?.tenantId }).toEqual({
        sessionName: event.sessionName,
        found: event.target.tenantId,
      });
    }
  });
});
