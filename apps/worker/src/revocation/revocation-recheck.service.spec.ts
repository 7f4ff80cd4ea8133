import { CredentialBroker, type CredentialScope, type ScopedCredentials } from '@isola/credentials';
import type { PrismaClient } from '@isola/database';
import { ManualClock } from '@isola/runtime';
import { StorageError, StorageErrorCode, type StorageTargetRef } from '@isola/tenant-storage';
import { loadWorkerConfig } from '../config/env.schema.js';
import { RECHECK_LEASE_MS, RevocationRecheckService } from './revocation-recheck.service.js';
import type { RevocationRepository, TargetToRecheck } from './revocation.repository.js';

/** A broker that fails every AssumeRole with `error`, recording what it was asked. */
class FailingBroker extends CredentialBroker {
  readonly calls: string[] = [];
  constructor(private readonly error: StorageError) {
    super();
  }
  getCredentials(target: StorageTargetRef, scope: CredentialScope): Promise<ScopedCredentials> {
    this.calls.push(`assume ${target.id} ${scope.purpose}`);
    return Promise.reject(this.error);
  }
  confirmDenial(): Promise<StorageError> {
    return Promise.resolve(this.error);
  }
  invalidate(targetId: string): void {
    this.calls.push(`invalidate ${targetId}`);
  }
}

function setUp(error: StorageError, recheckAttempts: number) {
  const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
  const row = {
    id: '7b0c8d1e-2f3a-4b5c-8d6e-7f8091a2b3c4',
    tenantId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    mode: 'isolated',
    provider: 's3_compatible',
    endpoint: 'http://127.0.0.1:7480',
    region: 'us-east-1',
    bucket: 'studio',
    prefix: '',
    roleArn: 'arn:aws:iam:::role/studio',
    externalId: 'x'.repeat(32),
    status: 'revoked',
    recheckAttempts,
    tenant: { slug: 'studio' },
  } as unknown as TargetToRecheck;
  const claims: Array<{ now: Date; leaseUntil: Date }> = [];
  const updates: unknown[] = [];
  const repository = {
    claimDue: (now: Date, leaseUntil: Date) => {
      claims.push({ now, leaseUntil });
      return Promise.resolve([row]);
    },
    reschedule: (targetId: string, update: unknown) => {
      updates.push({ targetId, update });
      return Promise.resolve();
    },
  } as unknown as RevocationRepository;
  const broker = new FailingBroker(error);
  const config = loadWorkerConfig({ NODE_ENV: 'test', REVOCATION_RECHECK_BASE_MS: '1000', REVOCATION_RECHECK_MAX_MS: '5000' });
  const service = new RevocationRecheckService(repository, broker, {} as PrismaClient, clock, config);
  return { service, broker, claims, updates, clock, row };
}

const failure = (code: StorageErrorCode) => new StorageError(code, 'x', { details: { service: 'sts', operation: 'AssumeRole' } });

describe('RevocationRecheckService', () => {
  it('forgets the target in the broker, then counts a denial and waits longer', async () => {
    const { service, broker, claims, updates, clock, row } = setUp(failure(StorageErrorCode.STORAGE_ACCESS_REVOKED), 1);
    const now = clock.now();
    await expect(service.recheckDue()).resolves.toEqual([
      { targetId: row.id, outcome: 'denied', nextCheckAt: new Date(now.getTime() + 4_000) },
    ]);
    expect(claims).toEqual([{ now, leaseUntil: new Date(now.getTime() + RECHECK_LEASE_MS) }]);
    expect(broker.calls).toEqual([`invalidate ${row.id}`, `assume ${row.id} verify`]);
    expect(updates).toEqual([
      {
        targetId: row.id,
        update: expect.objectContaining({ at: now, attempts: 2, nextCheckAt: new Date(now.getTime() + 4_000) }),
      },
    ]);
  });

  it.each([StorageErrorCode.STORAGE_UNAVAILABLE, StorageErrorCode.STORAGE_THROTTLED])('does not count %s as a denial', async (code) => {
    const { service, updates, clock, row } = setUp(failure(code), 1);
    const now = clock.now();
    await expect(service.recheckDue()).resolves.toEqual([
      { targetId: row.id, outcome: 'inconclusive', nextCheckAt: new Date(now.getTime() + 2_000) },
    ]);
    expect(updates).toEqual([{ targetId: row.id, update: expect.objectContaining({ attempts: 1 }) }]);
  });
});
