import type { PrismaClient } from './generated/prisma/client.js';
import { StorageStatusEvents, type StatusLogger } from './storage-status-events.js';

const TARGET_ID = '00000000-0000-4000-8000-000000000001';
const TENANT_ID = '00000000-0000-4000-8000-000000000002';
const AT = new Date('2026-03-01T12:00:00.000Z');

/**
 * Just enough of Prisma for the status transitions: one target row, and every write recorded. Each
 * transaction waits for `release()` when `hold` is set, so a test can see writes still running.
 */
function fakePrisma(status: 'active' | 'revoked', options: { fail?: Error; resumable?: string[] } = {}) {
  const writes: Array<[string, unknown]> = [];
  const held: Array<() => void> = [];
  const target = {
    id: TARGET_ID,
    tenantId: TENANT_ID,
    mode: 'isolated',
    status,
    statusBeforeRevocation: status === 'revoked' ? 'active' : null,
    bucket: 'northwind-media',
    prefix: '',
    roleArn: 'arn:aws:iam::123456789012:role/isola',
    revokedAt: status === 'revoked' ? new Date('2026-03-01T11:00:00.000Z') : null,
    recheckAttempts: 2,
  };
  const record = (name: string) => (args: unknown) => {
    writes.push([name, args]);
    return Promise.resolve({});
  };
  const tx = {
    $queryRaw: () => Promise.resolve([{ id: TARGET_ID }]),
    storageTarget: { findUnique: () => Promise.resolve(target), update: record('storageTarget.update') },
    auditEvent: { create: record('auditEvent.create') },
    notice: { create: record('notice.create') },
    media: { findMany: () => Promise.resolve((options.resumable ?? []).map((id) => ({ id }))), updateMany: record('media.updateMany') },
    transcodeGrant: { createMany: record('transcodeGrant.createMany') },
    outboxMessage: { createMany: record('outboxMessage.createMany') },
  };
  let hold = false;
  const prisma = {
    $transaction: async (fn: (client: typeof tx) => Promise<unknown>) => {
      if (hold) await new Promise<void>((resolve) => held.push(resolve));
      if (options.fail) throw options.fail;
      return fn(tx);
    },
  };
  return {
    prisma: prisma as unknown as PrismaClient,
    writes,
    holdWrites: () => (hold = true),
    release: () => held.splice(0).forEach((resolve) => resolve()),
  };
}

function recordingLogger(): StatusLogger & { lines: Array<[string, object]> } {
  const lines: Array<[string, object]> = [];
  return { lines, warn: (m) => lines.push(['warn', m]), error: (m) => lines.push(['error', m]) };
}

function newEvents(prisma: PrismaClient, logger: StatusLogger) {
  return new StorageStatusEvents({
    prisma,
    clock: { now: () => AT },
    logger,
    source: 'worker',
    firstRecheckMs: 90_000,
    transcodeGrantSeconds: 600,
  });
}

describe('StorageStatusEvents', () => {
  it('marks the target revoked with the reporter, the reason, the first re-check and the correlation id, then hands over the transition', async () => {
    const db = fakePrisma('active');
    const logger = recordingLogger();
    const events = newEvents(db.prisma, logger);
    const transitions: unknown[] = [];

    events.markRevoked(
      { target: { id: TARGET_ID, tenantId: TENANT_ID }, reason: 'AssumeRole refused (HTTP 403)', correlationId: 'req-1' },
      (transition) => transitions.push(transition),
    );
    await events.settled();

    const update = db.writes.find(([name]) => name === 'storageTarget.update')?.[1] as { data: Record<string, unknown> };
    expect(update.data).toMatchObject({ status: 'revoked', revokedAt: AT, nextCheckAt: new Date(AT.getTime() + 90_000) });
    const audit = db.writes.find(([name]) => name === 'auditEvent.create')?.[1] as { data: { correlationId: string; details: object } };
    expect(audit.data.correlationId).toBe('req-1');
    expect(audit.data.details).toMatchObject({ reason: 'AssumeRole refused (HTTP 403)', source: 'worker' });
    expect(transitions).toEqual([{ changed: true, status: 'revoked' }]);
    expect(logger.lines).toEqual([['warn', { msg: 'storage target marked revoked', targetId: TARGET_ID, tenantId: TENANT_ID }]]);
  });

  it('restores a revoked target by the re-check, giving the media it re-queues a fresh grant', async () => {
    const db = fakePrisma('revoked', { resumable: ['media-1'] });
    const events = newEvents(db.prisma, recordingLogger());

    events.markRestored({ target: { id: TARGET_ID } });
    await events.settled();

    const update = db.writes.find(([name]) => name === 'storageTarget.update')?.[1] as { data: Record<string, unknown> };
    expect(update.data).toMatchObject({ status: 'active', revokedAt: null, lastCheckAt: AT });
    const grants = db.writes.find(([name]) => name === 'transcodeGrant.createMany')?.[1] as { data: Array<{ expiresAt: Date }> };
    expect(grants.data.map((g) => g.expiresAt)).toEqual([new Date(AT.getTime() + 600_000)]);
    const audit = db.writes.find(([name]) => name === 'auditEvent.create')?.[1] as { data: { correlationId: unknown; details: object } };
    expect(audit.data.correlationId).toBeNull();
    expect(audit.data.details).toMatchObject({ by: 'recheck', resumedMedia: 1 });
  });

  it('never throws on the caller’s path: a failed write is logged, and settled() waits for writes still running', async () => {
    const db = fakePrisma('active', { fail: new Error('connection refused') });
    const logger = recordingLogger();
    const events = newEvents(db.prisma, logger);
    db.holdWrites();

    expect(() => events.markRevoked({ target: { id: TARGET_ID, tenantId: TENANT_ID }, reason: 'AssumeRole refused' })).not.toThrow();
    let settled = false;
    const done = events.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);

    db.release();
    await done;
    expect(logger.lines).toEqual([
      ['error', { msg: 'could not mark the target revoked', targetId: TARGET_ID, error: 'connection refused' }],
    ]);
  });
});
