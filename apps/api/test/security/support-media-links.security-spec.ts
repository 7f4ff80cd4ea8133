import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mediaLinksResponseSchema } from '@isola/contracts';
import { PrismaClient } from '@isola/database';
import { createMedia, createStorageTarget, createTenant } from '@isola/database/seed';
import { createTestStudio, loadLocalEnv, LocalStackAdmin, type TestStudio } from '@isola/local-stack';
import { SystemClock } from '@isola/runtime';
import { S3ObjectStore } from '@isola/tenant-storage';
import { toTargetRef } from '../../src/modules/storage/storage-targets.repository.js';
import { createTestUser, login, startTestApi, WEB_ORIGIN } from '../support/test-app.js';

/**
 * Promise 5 on the real stack: support staff get links for a HOSTED studio's media only through a
 * live grant from its admin (links never outlive it, audited), and never for an isolated studio.
 */
describe('support staff and media links (RGW, PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  const admin = new LocalStackAdmin(loadLocalEnv());
  let studio: TestStudio;

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
    studio = await createTestStudio(admin, { label: 'support-links' });
  });
  afterAll(async () => {
    await studio?.destroy();
    admin.destroy();
    await app?.close();
  });

  async function studioWith(mode: 'hosted' | 'isolated') {
    const tenant = await createTenant(prisma);
    const target = await createStorageTarget(
      prisma,
      {
        tenantId: tenant.id,
        mode,
        endpoint: admin.env.endpoint,
        bucket: studio.bucket,
        roleArn: studio.roleArn,
        prefix: `tenants/${tenant.slug}`,
      },
      { activate: true },
    );
    const media = await createMedia(prisma, { storageTargetId: target.id, status: 'ready', filename: 'dailies.mp4' });
    // the fixture object, written with the local admin identity (tests only)
    const store = new S3ObjectStore(
      toTargetRef(target),
      { ...admin.env.admin, sessionToken: '', expiresAt: new Date(Date.now() + 3_600_000) },
      { clock: new SystemClock(), forcePathStyle: true },
    );
    await store.putObject({ key: media.objectKey, body: Buffer.from('dailies bytes'), contentType: 'video/mp4' });
    store.destroy();
    const tenantAdmin = await createTestUser(app, { tenantId: tenant.id, role: 'admin' });
    return { tenant, media, adminCookie: await login(app, tenantAdmin.email) };
  }

  it('serves a hosted studio’s links to support only during a grant, capped by it, and audits them', async () => {
    const hosted = await studioWith('hosted');
    const support = await createTestUser(app, { staff: 'support' });
    const cookie = await login(app, support.email);
    const path = `/api/support/tenants/${hosted.tenant.id}/media/${hosted.media.id}/links`;

    const before = await request(app.getHttpServer()).get(path).set('cookie', cookie).expect(403);
    expect(before.body.code).toBe('SUPPORT_ACCESS_DENIED');

    const grant = await request(app.getHttpServer())
      .post('/api/tenant/support-grants')
      .set('origin', WEB_ORIGIN)
      .set('cookie', hosted.adminCookie)
      .send({ durationMinutes: 3, reason: 'ticket 4711: playback issue' })
      .expect(201);

    const res = await request(app.getHttpServer()).get(path).set('cookie', cookie).expect(200);
    expect(res.headers['cache-control']).toBe('no-store'); // presigned URLs: no cache may keep them
    const links = mediaLinksResponseSchema.parse(res.body);
    expect(new Date(links.source.expiresAt).getTime()).toBeLessThanOrEqual(new Date(grant.body.expiresAt).getTime());
    const fetched = await fetch(links.source.url);
    expect(await fetched.text()).toBe('dailies bytes');

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { tenantId: hosted.tenant.id, action: 'media.links' } });
    expect(audit).toMatchObject({ actorUserId: support.id, actorKind: 'staff', purpose: 'link', objectKeys: [hosted.media.objectKey] });
    expect(audit.details).toMatchObject({ supportGrantId: grant.body.id });

    await request(app.getHttpServer())
      .delete(`/api/tenant/support-grants/${grant.body.id as string}`)
      .set('origin', WEB_ORIGIN)
      .set('cookie', hosted.adminCookie)
      .expect(200);
    expect((await request(app.getHttpServer()).get(path).set('cookie', cookie).expect(403)).body.code).toBe('SUPPORT_ACCESS_DENIED');
  });

  it('never serves an isolated studio’s media to support, whatever grant rows exist', async () => {
    const isolated = await studioWith('isolated');
    await prisma.supportGrant.create({
      data: { tenantId: isolated.tenant.id, reason: 'planted', expiresAt: new Date(Date.now() + 600_000) },
    });
    const support = await createTestUser(app, { staff: 'admin' });
    const cookie = await login(app, support.email);
    const res = await request(app.getHttpServer())
      .get(`/api/support/tenants/${isolated.tenant.id}/media/${isolated.media.id}/links`)
      .set('cookie', cookie)
      .expect(403);
    expect(res.body).toMatchObject({
      code: 'SUPPORT_ACCESS_DENIED',
      message: "Support staff never get access to an isolated studio's media.",
    });
    expect(await prisma.auditEvent.count({ where: { tenantId: isolated.tenant.id, action: 'media.links' } })).toBe(0);
  });
});
