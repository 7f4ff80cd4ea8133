import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { JobName, QueueName } from '@isola/contracts';
import { createPrismaClient, type PrismaClient } from '@isola/database';
import { createWorkerApp } from '../../src/app.factory.js';
import { loadWorkerConfig } from '../../src/config/env.schema.js';
import { OutboxRelayService } from '../../src/outbox/outbox-relay.service.js';

/**
 * The outbox relay against real PostgreSQL and Redis. The worker is created but not started
 * (`init()` would start the polling loop and the processors), so each pass is driven by hand.
 */
const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/isola_test';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/9';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const workerEnv = (redisUrl: string) => ({
  NODE_ENV: 'test',
  OUTBOX_RELAY_ENABLED: 'false',
  TRANSCODE_ENABLED: 'false', // the jobs this suite queues must stay waiting
  // the test database is shared: these loops would act on other suites' migrations and targets
  MIGRATION_RECOVERY_ENABLED: 'false',
  REVOCATION_RECHECK_ENABLED: 'false',
  OUTBOX_RELAY_TIMEOUT_MS: '2000', // short (unreachable Redis must fail fast) but room for a loaded machine
  LOG_LEVEL: 'silent',
  DATABASE_URL,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: `isola-test-${randomBytes(4).toString('hex')}`,
});

describe('outbox relay (real PostgreSQL and Redis)', () => {
  let prisma: PrismaClient;
  const created: string[] = [];

  beforeAll(() => {
    prisma = createPrismaClient(DATABASE_URL);
  });
  afterAll(async () => {
    await prisma.outboxMessage.deleteMany({ where: { id: { in: created } } });
    await prisma.$disconnect();
  });

  async function insertTranscode(mediaId: string): Promise<string> {
    const row = await prisma.outboxMessage.create({
      data: { jobName: JobName.MediaTranscode, payload: { mediaId }, correlationId: 'corr-relay' },
    });
    created.push(row.id);
    return row.id;
  }

  it('moves due rows to their queue once, with the payload-derived job id, and marks them relayed', async () => {
    const worker: INestApplicationContext = await createWorkerApp(loadWorkerConfig(workerEnv(REDIS_URL)));
    try {
      const mediaId = randomUUID();
      const first = await insertTranscode(mediaId);
      const duplicate = await insertTranscode(mediaId); // e.g. a re-enqueue while the first is pending
      const relay = worker.get(OutboxRelayService);
      expect(await relay.relayPending()).toBeGreaterThanOrEqual(2);

      const queue = worker.get<Queue>(getQueueToken(QueueName.Media), { strict: false });
      const job = await queue.getJob(`media:${mediaId}`);
      expect(job?.name).toBe(JobName.MediaTranscode);
      expect(job?.data).toEqual({ outboxId: first, correlationId: 'corr-relay', payload: { mediaId } });
      // the duplicate did not add a second job (the shared test database may hold other suites' rows too)
      const waiting = await queue.getWaiting();
      expect(waiting.filter((j) => (j.data as { payload: { mediaId: string } }).payload.mediaId === mediaId)).toHaveLength(1);

      const rows = await prisma.outboxMessage.findMany({ where: { id: { in: [first, duplicate] } } });
      expect(rows.every((r) => r.relayedAt !== null)).toBe(true);
      expect(await relay.relayPending()).toBe(0); // nothing left to relay
      await queue.obliterate({ force: true });
    } finally {
      await worker.close();
    }
  });

  it('adds a job again once the previous run of that id has finished (a re-process), not while it waits', async () => {
    const worker = await createWorkerApp(loadWorkerConfig(workerEnv(REDIS_URL)));
    try {
      const mediaId = randomUUID();
      const relay = worker.get(OutboxRelayService);
      const queue = worker.get<Queue>(getQueueToken(QueueName.Media), { strict: false });
      await insertTranscode(mediaId);
      await relay.relayPending();
      // as a worker taking it, then finishing it (kept in the completed set: removeOnComplete 100); the
      // shared test database may hold other suites' due rows, relayed into this queue first: finished too
      let taken: Job | undefined;
      for (
        let job = (await queue.getNextJob()) as Job | undefined;
        job !== undefined;
        job = (await queue.getNextJob()) as Job | undefined
      ) {
        await job.moveToCompleted('done', false, true);
        if (job.id === `media:${mediaId}`) {
          taken = job;
          break;
        }
      }
      expect(taken?.id).toBe(`media:${mediaId}`);

      const reprocess = await insertTranscode(mediaId);
      await relay.relayPending();
      const rerun = await queue.getJob(`media:${mediaId}`);
      expect(rerun?.data.outboxId).toBe(reprocess);
      expect(await rerun?.getState()).toBe('waiting');

      await insertTranscode(mediaId); // while the re-run waits, a duplicate changes nothing
      await relay.relayPending();
      expect((await queue.getJob(`media:${mediaId}`))?.data.outboxId).toBe(reprocess);
      await queue.obliterate({ force: true });
    } finally {
      await worker.close();
    }
  });

  it('leaves rows pending while Redis cannot be reached, so no job is lost', async () => {
    const worker = await createWorkerApp(loadWorkerConfig(workerEnv(`redis://127.0.0.1:${await closedPort()}/9`)));
    const id = await insertTranscode(randomUUID());
    try {
      const relay = worker.get(OutboxRelayService);
      await expect(
        Promise.race([relay.relayPending(), new Promise((_, reject) => setTimeout(() => reject(new Error('still waiting')), 3000))]),
      ).rejects.toThrow();
      const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(row.relayedAt).toBeNull();
    } finally {
      await worker.close().catch(() => undefined);
      await prisma.outboxMessage.update({ where: { id }, data: { relayedAt: new Date() } }); // keep it out of other runs
    }
  });
});
