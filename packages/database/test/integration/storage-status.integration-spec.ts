// markTargetRevoked / markTargetRestored against the real PostgreSQL (the migrated test database):
// one transaction each, idempotent, and race-safe under concurrent reports.
import {
  createPrismaClient,
  markTargetRestored,
  markTargetRevoked,
  type Prisma,
  type PrismaClient,
  type StorageTarget,
} from '../../src/index.js';
import { createMedia, createStorageTarget, createTenant } from '../../src/seed/index.js';
import { TEST_DATABASE_URL } from './support/scratch-database.js';

describe('storage target revocation status (real PostgreSQL)', () => {
  let prisma: PrismaClient;
  const tenantIds: string[] = [];
  const t0 = new Date('2026-03-01T10:00:00.000Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(() => {
    prisma = createPrismaClient(TEST_DATABASE_URL, { poolSize: 8 });
  });
  afterAll(async () => {
    const targets = await prisma.storageTarget.findMany({ where: { tenantId: { in: tenantIds } }, select: { id: true } });
    const media = await prisma.media.findMany({ where: { tenantId: { in: tenantIds } }, select: { id: true } });
    await prisma.auditEvent.deleteMany({ where: { storageTargetId: { in: targets.map((t) => t.id) } } });
    await prisma.outboxMessage.deleteMany({ where: { OR: media.map((m) => ({ payload: { path: ['mediaId'], equals: m.id } })) } });
    await prisma.tenant.updateMany({ where: { id: { in: tenantIds } }, data: { activeTargetId: null } });
    await prisma.media.deleteMany({ where: { tenantId: { in: tenantIds } } });
    await prisma.tenant.deleteMany({ where: { id: { in: tenantIds } } });
    await prisma.$disconnect();
  });

  async function target(overrides: Partial<Prisma.StorageTargetUncheckedCreateInput> = {}, activate = true): Promise<StorageTarget> {
    const tenant = await createTenant(prisma);
    tenantIds.push(tenant.id);
    return createStorageTarget(prisma, { tenantId: tenant.id, mode: 'isolated', ...overrides }, { activate });
  }

  const revoke = (id: string, at = t0) =>
    markTargetRevoked(prisma, { targetId: id, reason: 'AssumeRole denied (HTTP 404)', at, nextCheckAt: later(60_000), source: 'test' });
  const restore = (id: string, at = later(120_000)) =>
    markTargetRestored(prisma, { targetId: id, at, by: 'recheck', sessionName: 'isola-verify-x', transcodeGrantSeconds: 1800 });
  const notices = (tenantId: string) => prisma.notice.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } });
  const audits = (targetId: string) => prisma.auditEvent.findMany({ where: { storageTargetId: targetId }, orderBy: { createdAt: 'asc' } });

  it('marks an active isolated target revoked once, with one audit row and one notice', async () => {
    const row = await target();
    await expect(revoke(row.id)).resolves.toEqual({ changed: true, status: 'revoked' });
    await expect(revoke(row.id, later(5))).resolves.toEqual({ changed: false, status: 'revoked' });

    expect(await prisma.storageTarget.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: 'revoked',
      statusBeforeRevocation: 'active',
      revokedAt: t0,
      nextCheckAt: later(60_000),
      recheckAttempts: 0,
      lastCheckAt: t0,
    });
    const [notice, ...moreNotices] = await notices(row.tenantId);
    expect(moreNotices).toEqual([]);
    expect(notice).toMatchObject({ kind: 'target.revoked', dismissedAt: null, details: { targetId: row.id, bucket: row.bucket } });
    expect(notice!.message).toContain('Nothing is lost');
    expect(notice!.message).toContain('setup kit');
    const [audit, ...moreAudits] = await audits(row.id);
    expect(moreAudits).toEqual([]);
    expect(audit).toMatchObject({
      tenantId: row.tenantId,
      actorKind: 'system',
      action: 'target.revoked',
      details: { reason: 'AssumeRole denied (HTTP 404)', source: 'test', statusBefore: 'active' },
    });
  });

  it('lets exactly one of many concurrent reports through', async () => {
    const row = await target();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => revoke(row.id, later(i))));
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(results.every((r) => r.status === 'revoked')).toBe(true);
    expect(await notices(row.tenantId)).toHaveLength(1);
    expect(await audits(row.id)).toHaveLength(1);
  });

  it('never marks hosted, pending or retired targets', async () => {
    const hosted = await target({ mode: 'hosted' });
    const pending = await target({ status: 'pending' }, false);
    const retired = await target({ status: 'retired' }, false);
    await expect(revoke(hosted.id)).resolves.toEqual({ changed: false, status: 'active' });
    await expect(revoke(pending.id)).resolves.toEqual({ changed: false, status: 'pending' });
    await expect(revoke(retired.id)).resolves.toEqual({ changed: false, status: 'retired' });
    await expect(revoke('00000000-0000-4000-8000-000000000000')).resolves.toEqual({ changed: false, status: null });
    for (const row of [hosted, pending, retired]) {
      expect(await notices(row.tenantId)).toEqual([]);
      expect(await audits(row.id)).toEqual([]);
    }
  });

  it('restores the former status once, re-queues the transcodes the revocation stopped, and notifies', async () => {
    const row = await target();
    const stopped = await createMedia(prisma, { storageTargetId: row.id, status: 'failed', failureReason: 'STORAGE_ACCESS_REVOKED' });
    const corrupt = await createMedia(prisma, { storageTargetId: row.id, status: 'failed', failureReason: 'CORRUPT_MEDIA' });
    await revoke(row.id);

    const results = await Promise.all([restore(row.id), restore(row.id), restore(row.id)]);
    expect(results.filter((r) => r.changed)).toEqual([{ changed: true, status: 'active', resumedMedia: [stopped.id] }]);
    expect(await restore(row.id)).toEqual({ changed: false, status: 'active', resumedMedia: [] });

    expect(await prisma.storageTarget.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: 'active',
      statusBeforeRevocation: null,
      revokedAt: null,
      nextCheckAt: null,
      recheckAttempts: 0,
      lastCheckAt: later(120_000),
    });
    expect(await prisma.media.findUniqueOrThrow({ where: { id: stopped.id } })).toMatchObject({ status: 'uploaded', failureReason: null });
    expect(await prisma.media.findUniqueOrThrow({ where: { id: corrupt.id } })).toMatchObject({
      status: 'failed',
      failureReason: 'CORRUPT_MEDIA',
    });
    const grants = await prisma.transcodeGrant.findMany({ where: { mediaId: { in: [stopped.id, corrupt.id] } } });
    expect(grants.map((g) => ({ mediaId: g.mediaId, expiresAt: g.expiresAt, reason: g.reason }))).toEqual([
      { mediaId: stopped.id, expiresAt: later(120_000 + 1_800_000), reason: 'target.restored' },
    ]);
    const jobs = await prisma.outboxMessage.findMany({ where: { payload: { path: ['mediaId'], equals: stopped.id } } });
    expect(jobs.map((j) => j.jobName)).toEqual(['Media.Transcode']);

    expect((await notices(row.tenantId)).map((n) => n.kind)).toEqual(['target.revoked', 'target.restored']);
    const restoredAudit = (await audits(row.id)).filter((a) => a.action === 'target.restored');
    expect(restoredAudit).toHaveLength(1);
    expect(restoredAudit[0]).toMatchObject({
      actorKind: 'system',
      purpose: 'verify',
      sessionName: 'isola-verify-x',
      details: { by: 'recheck', status: 'active', resumedMedia: 1 },
    });
  });

  it('returns a verified (not yet active) target to verified, and ignores targets that are not revoked', async () => {
    const row = await target({ status: 'verified' }, false);
    await expect(restore(row.id)).resolves.toEqual({ changed: false, status: 'verified', resumedMedia: [] });
    await revoke(row.id);
    await expect(restore(row.id)).resolves.toMatchObject({ changed: true, status: 'verified' });
    expect((await notices(row.tenantId)).map((n) => n.kind)).toEqual(['target.revoked', 'target.restored']);
  });
});
