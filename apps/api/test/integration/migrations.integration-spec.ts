import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { JobName, MigrationAuditAction, MigrationErrorCode, type ActivateTargetResponse, type MigrationDto } from '@isola/contracts';
import { PrismaClient, type StorageTarget, type Tenant } from '@isola/database';
import { createMedia, createStorageTarget } from '@isola/database/seed';
import { sessionCookieFor } from '../support/sessions.js';
import { createTestTenant, createTestUser, startTestApi, WEB_ORIGIN } from '../support/test-app.js';

/**
 * The mode switch (issue 6): POST /api/tenant/storage/targets/:id/activate and the migration
 * progress routes, against the real database. Storage is not touched by these routes (the worker
 * copies), so the targets are factory rows.
 */
describe('storage-mode switch and migration progress (real PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  const tenants: Tenant[] = [];

  beforeAll(async () => {
    app = await startTestApi();
    prisma = app.get(PrismaClient);
  });

  afterAll(async () => {
    for (const tenant of tenants) {
      const migrations = await prisma.migration.findMany({ where: { tenantId: tenant.id }, select: { id: true } });
      for (const { id } of migrations) await prisma.$executeRaw`DELETE FROM outbox_messages WHERE payload->>'migrationId' = ${id}`;
      await prisma.tenant.update({ where: { id: tenant.id }, data: { activeTargetId: null } });
      await prisma.tenant.delete({ where: { id: tenant.id } });
    }
    await app.close();
  });

  /** A hosted studio (active hosted target) with an isolated target in the given status, and its admin and member. */
  async function studio(isolatedStatus: StorageTarget['status'] = 'verified') {
    const tenant = await createTestTenant(app);
    tenants.push(tenant);
    const hosted = await createStorageTarget(prisma, { tenantId: tenant.id, mode: 'hosted' }, { activate: true });
    const isolated = await createStorageTarget(prisma, {
      tenantId: tenant.id,
      mode: 'isolated',
      bucket: 'studio-own',
      status: isolatedStatus,
    });
    const admin = await sessionCookieFor(app, (await createTestUser(app, { tenantId: tenant.id, role: 'admin' })).id);
    const member = await sessionCookieFor(app, (await createTestUser(app, { tenantId: tenant.id, role: 'member' })).id);
    return { tenant, hosted, isolated, admin, member };
  }

  const activate = (cookie: string, id: string) =>
    request(app.getHttpServer()).post(`/api/tenant/storage/targets/${id}/activate`).set('origin', WEB_ORIGIN).set('cookie', cookie);
  const get = (cookie: string, path: string) => request(app.getHttpServer()).get(`/api${path}`).set('cookie', cookie);

  it('hosted → a verified isolated target: active at once, a migration with its job in the outbox, both audited', async () => {
    const s = await studio();
    await createMedia(prisma, { tenantId: s.tenant.id, storageTargetId: s.hosted.id, status: 'ready' });

    const res = await activate(s.admin, s.isolated.id).expect(200);
    const body = res.body as ActivateTargetResponse;
    expect(body.target).toMatchObject({ id: s.isolated.id, mode: 'isolated', status: 'active' });
    expect(body.migration).toMatchObject({
      status: 'pending',
      from: { id: s.hosted.id, mode: 'hosted', status: 'verified' },
      to: { id: s.isolated.id, status: 'active' },
      deleteSources: true, // hosted copies are deleted after the grace period
      percent: 0,
      items: { pending: 0, switched: 0, failed: 0, skipped: 0 },
    });

    // new uploads go to the new target from now on; the media keep pointing where they are
    expect((await prisma.tenant.findUniqueOrThrow({ where: { id: s.tenant.id } })).activeTargetId).toBe(s.isolated.id);
    expect(await prisma.media.count({ where: { tenantId: s.tenant.id, storageTargetId: s.hosted.id } })).toBe(1);
    const migrationId = body.migration!.id;
    const outbox = await prisma.outboxMessage.findMany({
      where: { jobName: JobName.StorageMigrate, payload: { equals: { migrationId } } },
    });
    expect(outbox).toHaveLength(1);
    const audit = await prisma.auditEvent.findMany({ where: { tenantId: s.tenant.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.action).sort()).toEqual([MigrationAuditAction.MigrationStart, MigrationAuditAction.TargetActivate].sort());
    expect(audit.find((a) => a.action === MigrationAuditAction.MigrationStart)?.details).toMatchObject({
      migrationId,
      fromTargetId: s.hosted.id,
      toTargetId: s.isolated.id,
      deleteSources: true,
    });

    // one move at a time: switching again while it is pending is refused
    const again = await activate(s.admin, 'hosted').expect(409);
    expect(again.body.code).toBe(MigrationErrorCode.MigrationInProgress);
  });

  it('refuses targets that are active, not verified, unknown or another studio’s, and callers who may not switch', async () => {
    const s = await studio('pending');
    const other = await studio();
    expect((await activate(s.admin, s.hosted.id).expect(409)).body.code).toBe(MigrationErrorCode.TargetAlreadyActive);
    expect((await activate(s.admin, s.isolated.id).expect(409)).body.code).toBe(MigrationErrorCode.TargetNotVerified);
    expect((await activate(s.admin, other.isolated.id).expect(404)).body.code).toBe(MigrationErrorCode.TargetNotFound);
    expect((await activate(s.admin, 'not-a-target').expect(404)).body.code).toBe(MigrationErrorCode.TargetNotFound);
    expect((await activate(s.member, s.isolated.id).expect(403)).body.code).toBe('FORBIDDEN');
    const noOrigin = await request(app.getHttpServer())
      .post(`/api/tenant/storage/targets/${other.isolated.id}/activate`)
      .set('cookie', other.admin);
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.code).toBe('CSRF_REJECTED');
    // nothing changed
    expect(await prisma.migration.count({ where: { tenantId: { in: [s.tenant.id, other.tenant.id] } } })).toBe(0);
    expect((await prisma.tenant.findUniqueOrThrow({ where: { id: other.tenant.id } })).activeTargetId).toBe(other.hosted.id);
  });

  it('isolated → hosted (`hosted`): a hosted target is created in the platform bucket; the studio bucket’s copies stay without its opt-in', async () => {
    const tenant = await createTestTenant(app);
    tenants.push(tenant);
    const isolated = await createStorageTarget(prisma, { tenantId: tenant.id, mode: 'isolated', bucket: 'studio-own' }, { activate: true });
    const admin = await sessionCookieFor(app, (await createTestUser(app, { tenantId: tenant.id, role: 'admin' })).id);

    const body = (await activate(admin, 'hosted').expect(200)).body as ActivateTargetResponse;
    expect(body.target).toMatchObject({ mode: 'hosted', status: 'active', bucket: 'isola-hosted', prefix: `tenants/${tenant.slug}` });
    expect(body.migration).toMatchObject({ from: { id: isolated.id }, to: { id: body.target.id }, deleteSources: false });
    const hosted = await prisma.storageTarget.findUniqueOrThrow({ where: { id: body.target.id } });
    expect(hosted).toMatchObject({ tenantId: tenant.id, roleArn: 'arn:aws:iam:::role/isola-hosted-access' });

    // once that migration is over, switching back re-uses the studio's (verified) bucket target
    await prisma.migration.update({ where: { id: body.migration!.id }, data: { status: 'completed', finishedAt: new Date() } });
    const back = (await activate(admin, isolated.id).expect(200)).body as ActivateTargetResponse;
    expect(back.migration).toMatchObject({ from: { id: hosted.id, mode: 'hosted' }, to: { id: isolated.id }, deleteSources: true });
    // and `hosted` names the same hosted target afterwards (no second one)
    await prisma.migration.update({ where: { id: back.migration!.id }, data: { status: 'completed', finishedAt: new Date() } });
    expect(((await activate(admin, 'hosted').expect(200)).body as ActivateTargetResponse).target.id).toBe(hosted.id);
    expect(await prisma.storageTarget.count({ where: { tenantId: tenant.id, mode: 'hosted' } })).toBe(1);
  });

  it('shows progress: objects, bytes, percent, failed media with their last error; never another studio’s migration', async () => {
    const s = await studio();
    const other = await studio();
    const mediaA = await createMedia(prisma, { tenantId: s.tenant.id, storageTargetId: s.hosted.id, status: 'ready', filename: 'a.mov' });
    const mediaB = await createMedia(prisma, { tenantId: s.tenant.id, storageTargetId: s.hosted.id, status: 'ready', filename: 'b.mov' });
    const migration = await prisma.migration.create({
      data: {
        tenantId: s.tenant.id,
        fromTargetId: s.hosted.id,
        toTargetId: s.isolated.id,
        status: 'running',
        totalObjects: 8,
        totalBytes: 4000n,
        copiedObjects: 4,
        copiedBytes: 1000n,
        failedObjects: 4,
        startedAt: new Date(),
      },
    });
    await prisma.migrationItem.createMany({
      data: [
        { migrationId: migration.id, mediaId: mediaA.id, status: 'switched', objects: 4, bytes: 1000n },
        {
          migrationId: migration.id,
          mediaId: mediaB.id,
          status: 'failed',
          objects: 4,
          bytes: 3000n,
          attempts: 3,
          lastError: 'CHECKSUM_MISMATCH: nope',
        },
      ],
    });

    const list = await get(s.admin, '/tenant/migrations').expect(200);
    expect(list.body.items).toHaveLength(1);
    const detail = (await get(s.admin, `/tenant/migrations/${migration.id}`).expect(200)).body as MigrationDto;
    expect(detail).toMatchObject({
      id: migration.id,
      status: 'running',
      totalObjects: 8,
      totalBytes: 4000,
      copiedObjects: 4,
      copiedBytes: 1000,
      percent: 25,
      items: { pending: 0, switched: 1, failed: 1, skipped: 0 },
      failedItems: [{ mediaId: mediaB.id, filename: 'b.mov', attempts: 3, lastError: 'CHECKSUM_MISMATCH: nope' }],
    });
    expect(detail.startedAt).not.toBeNull();

    expect((await get(other.admin, `/tenant/migrations/${migration.id}`).expect(404)).body.code).toBe(MigrationErrorCode.MigrationNotFound);
    expect((await get(other.admin, '/tenant/migrations').expect(200)).body.items).toEqual([]);
    await get(s.member, '/tenant/migrations').expect(403);
  });
});
