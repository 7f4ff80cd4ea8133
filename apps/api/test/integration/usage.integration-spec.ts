import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { usageResponseSchema, type UsageResponse } from '@isola/contracts';
import { PrismaClient, type Media, type StorageTarget, type Tenant } from '@isola/database';
import { createMedia, createMembership, createStorageTarget, createTenant, createUser } from '@isola/database/seed';
import { sessionCookieFor } from '../support/sessions.js';
import { startTestApi } from '../support/test-app.js';

const MIB = 1024 ** 2;
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describe('usage and costs: GET /api/tenant/usage (real PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let hosted: StorageTarget;
  let isolated: StorageTarget;
  let linked: Media;
  let cookies: { admin: string; member: string };

  const get = (path: string, cookie: string) => request(app.getHttpServer()).get(path).set('cookie', cookie);

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'error' });
    prisma = app.get(PrismaClient);
    tenant = await createTenant(prisma);
    hosted = await createStorageTarget(prisma, { tenantId: tenant.id }, { activate: true });
    isolated = await createStorageTarget(prisma, { tenantId: tenant.id, mode: 'isolated', bucket: 'usage-studio', status: 'verified' });
    const [admin, member] = await Promise.all([createUser(prisma), createUser(prisma)]);
    await createMembership(prisma, { userId: admin!.id, tenantId: tenant.id, role: 'admin' });
    await createMembership(prisma, { userId: member!.id, tenantId: tenant.id, role: 'member' });
    cookies = { admin: await sessionCookieFor(app, admin!.id), member: await sessionCookieFor(app, member!.id) };

    // hosted: a recent linked video with two renditions, an old image; a deleted and an uploading media don't count
    linked = await createMedia(prisma, { storageTargetId: hosted.id, status: 'ready', sizeBytes: BigInt(30 * MIB) });
    await prisma.rendition.createMany({
      data: [
        {
          mediaId: linked.id,
          storageTargetId: hosted.id,
          kind: 'thumbnail',
          objectKey: `${hosted.prefix}/media/${linked.id}/renditions/thumb.jpg`,
          sizeBytes: 20_000n,
          sha256: 'a'.repeat(64),
          contentType: 'image/jpeg',
        },
        {
          mediaId: linked.id,
          storageTargetId: hosted.id,
          kind: 'proxy',
          objectKey: `${hosted.prefix}/media/${linked.id}/renditions/proxy.mp4`,
          sizeBytes: BigInt(5 * MIB),
          sha256: 'b'.repeat(64),
          contentType: 'video/mp4',
        },
      ],
    });
    await createMedia(prisma, { storageTargetId: hosted.id, status: 'ready', sizeBytes: BigInt(10 * MIB), createdAt: daysAgo(60) });
    await createMedia(prisma, { storageTargetId: hosted.id, status: 'deleted', sizeBytes: BigInt(999 * MIB) });
    await createMedia(prisma, { storageTargetId: hosted.id, status: 'uploading', sizeBytes: BigInt(999 * MIB) });

    // isolated: an old big source (IA candidate), an old tiny one (below IA's billable minimum), a stale upload
    await createMedia(prisma, { storageTargetId: isolated.id, status: 'ready', sizeBytes: BigInt(200 * MIB), createdAt: daysAgo(40) });
    await createMedia(prisma, { storageTargetId: isolated.id, status: 'failed', sizeBytes: 1_000n, createdAt: daysAgo(40) });
    for (const age of [2, 0]) {
      const media = await createMedia(prisma, { storageTargetId: isolated.id, status: 'uploading', sizeBytes: BigInt(50 * MIB) });
      await prisma.multipartUpload.create({
        data: {
          mediaId: media.id,
          tenantId: tenant.id,
          userId: admin!.id,
          storageTargetId: isolated.id,
          uploadId: `upload-${media.id}`,
          objectKey: media.objectKey,
          declaredSize: media.sizeBytes,
          createdAt: daysAgo(age),
        },
      });
    }

    // link mints: one in the window (source + thumbnail), one too old, and a non-link event
    const audit = (action: string, createdAt: Date, objectKeys: string[], details?: { bytesExposed: number }) =>
      prisma.auditEvent.create({
        data: {
          tenantId: tenant.id,
          actorKind: 'user',
          action,
          purpose: 'link',
          storageTargetId: hosted.id,
          objectKeys,
          createdAt,
          ...(details ? { details } : {}),
        },
      });
    await audit('media.links', daysAgo(1), [linked.objectKey, `${hosted.prefix}/media/${linked.id}/renditions/thumb.jpg`]);
    await audit('media.links', daysAgo(45), [linked.objectKey]);
    // minted before a migration renamed the keys: the bytes recorded at mint time count
    await audit('media.links', daysAgo(2), ['moved-away/media/x/source/a.mov'], { bytesExposed: 4_321 });
    await audit('upload.create', daysAgo(1), [linked.objectKey]);

    // another studio's media never count
    await createMedia(prisma, { status: 'ready', sizeBytes: BigInt(777 * MIB) });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('measures the tenant’s stored objects per target and kind, its link mints and what they expose', async () => {
    const res = await get('/api/tenant/usage', cookies.admin).expect(200);
    const report: UsageResponse = usageResponseSchema.parse(res.body);

    expect(report.totals.sources).toEqual({ objects: 4, bytes: 30 * MIB + 10 * MIB + 200 * MIB + 1_000 });
    expect(report.totals.renditions).toEqual({ objects: 2, bytes: 20_000 + 5 * MIB });
    const [h, i] = [report.targets.find((t) => t.targetId === hosted.id)!, report.targets.find((t) => t.targetId === isolated.id)!];
    expect(h).toMatchObject({ mode: 'hosted', active: true, sources: { objects: 2, bytes: 40 * MIB } });
    expect(h.renditions.byKind).toEqual({ thumbnail: { objects: 1, bytes: 20_000 }, proxy: { objects: 1, bytes: 5 * MIB } });
    expect(i).toMatchObject({ mode: 'isolated', active: false, staleMultipartUploads: { objects: 1, bytes: 50 * MIB } });
    expect(i.byStorageClass.STANDARD_IA).toEqual({ objects: 0, bytes: 0 });

    expect(report.links).toMatchObject({ mints: 2, links: 3, bytesExposed: 30 * MIB + 20_000 + 4_321 });
    expect(report.links.daily.map((d) => d.mints)).toEqual([1, 1]);
    expect(report.cost.monthly).toBeGreaterThan(0);
    expect(report.cost.lines.map((l) => l.item)).toEqual(['storage.STANDARD', 'storage.STANDARD_IA', 'egress', 'requests.get']);

    // recommendations only for the studio's own bucket: abort the stale upload, move the old big source
    expect(report.recommendations.map((r) => [r.id, r.targetId])).toEqual([
      ['abort-incomplete-multipart', isolated.id],
      ['sources-to-infrequent-access', isolated.id],
    ]);
    const ia = report.recommendations[1]!;
    expect(ia.why).toContain('1 source(s)');
    expect(JSON.stringify(ia.lifecycleConfiguration)).toContain('STANDARD_IA');
  });

  it('counts old sources as STANDARD_IA once the studio says the rule is applied', async () => {
    const res = await get('/api/tenant/usage?sourcesToIaAfterDays=30&days=7', cookies.admin).expect(200);
    const report = usageResponseSchema.parse(res.body);
    const i = report.targets.find((t) => t.targetId === isolated.id)!;
    expect(i.byStorageClass.STANDARD_IA).toEqual({ objects: 1, bytes: 200 * MIB });
    expect(report.window.days).toBe(7);
    expect(report.recommendations.map((r) => r.id)).toEqual(['abort-incomplete-multipart']);
  });

  it('is for tenant admins only, and refuses a bad window with a machine-readable code', async () => {
    await get('/api/tenant/usage', cookies.member).expect(403);
    const bad = await get('/api/tenant/usage?days=0', cookies.admin).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.body.message).toContain('days');
  });
});
