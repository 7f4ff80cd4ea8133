import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { PrismaClient } from '@isola/database';
import { JobName } from '@isola/contracts';
import { createWorkerApp, loadWorkerConfig } from '@isola/worker';
import { createApiApp } from '../../src/app.factory.js';
import { loadApiConfig } from '../../src/config/env.schema.js';
import { JobsService } from '../../src/modules/jobs/jobs.service.js';
import { testEnv } from '../support/test-config.js';

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a job round-trips API → outbox → Redis → worker (real PostgreSQL and Redis)', () => {
  // transcoding off: the relay also moves other suites' pending Media.Transcode rows, whose studios are gone
  const env = testEnv({ OUTBOX_POLL_MS: '50', TRANSCODE_ENABLED: 'false' });
  let api: INestApplication;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    api = await createApiApp(loadApiConfig(env));
    await api.init();
    worker = await createWorkerApp(loadWorkerConfig(env));
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('runs a ping enqueued by the API in the worker and records its completion', async () => {
    const note = `ping-${Date.now()}`;
    const outboxId = await api
      .get(JobsService)
      .enqueue({ name: JobName.SystemPing, payload: { note } }, { correlationId: 'corr-roundtrip-1' });
    const prisma = api.get(PrismaClient);
    const done = await waitFor('the worker to complete the ping', () =>
      prisma.outboxMessage.findFirst({ where: { id: outboxId, completedAt: { not: null } } }),
    );
    expect(done.relayedAt).not.toBeNull();
    expect(done.attempts).toBe(1);
    expect(done.correlationId).toBe('corr-roundtrip-1');
  });

  it('writes no job when the enqueuing transaction rolls back', async () => {
    const prisma = api.get(PrismaClient);
    const jobs = api.get(JobsService);
    const note = `rolled-back-${Date.now()}`;
    await expect(
      prisma.$transaction(async (tx) => {
        await jobs.enqueue({ name: JobName.SystemPing, payload: { note } }, { tx });
        throw new Error('abort the transaction');
      }),
    ).rejects.toThrow('abort the transaction');
    const rows = await prisma.outboxMessage.findMany({ where: { payload: { equals: { note } } } });
    expect(rows).toHaveLength(0);
  });
});
