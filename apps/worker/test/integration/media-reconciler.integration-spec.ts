import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { JobName, QueueName } from '@isola/contracts';
import { PrismaClient } from '@isola/database';
import { createMedia } from '@isola/database/seed';
import { createWorkerApp } from '../../src/app.factory.js';
import { loadWorkerConfig } from '../../src/config/env.schema.js';
import { MediaReconcilerService } from '../../src/reconciler/media-reconciler.service.js';
import { DATABASE_URL, REDIS_URL } from './support/studio-harness.js';

/**
 * The stuck-media reconciler on real PostgreSQL and Redis: a media left in `uploaded` with its queue
 * job gone is re-enqueued through the outbox, once; one whose job still waits is left alone.
 * Loops, relay and transcoding are off: each pass is driven by hand.
 */
describe('stuck-media reconciler', () => {
  let worker: INestApplicationContext;
  let prisma: PrismaClient;
  let queue: Queue;

  beforeAll(async () => {
    worker = await createWorkerApp(
      loadWorkerConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL,
        REDIS_URL,
        QUEUE_PREFIX: `isola-test-${randomBytes(4).toString('hex')}`,
        OUTBOX_RELAY_ENABLED: 'false',
        TRANSCODE_ENABLED: 'false',
        RECONCILER_ENABLED: 'false',
        RECONCILE_STUCK_AFTER_MS: '60000',
      }),
    );
    prisma = worker.get(PrismaClient);
    queue = worker.get<Queue>(getQueueToken(QueueName.Media), { strict: false });
  });

  afterAll(async () => {
    // not stuck any more: later runs of this suite (same database) never see them
    await prisma?.media.updateMany({ where: { id: { in: created } }, data: { status: 'failed', failureReason: 'TEST_DONE' } });
    await queue?.obliterate({ force: true });
    await worker?.close();
  });

  // older than anything other suites leave behind in the shared test database, so it is in the first batch
  const stale = () => new Date('2000-01-01T00:00:00Z');
  const created: string[] = [];
  const pendingJobs = (mediaId: string) =>
    prisma.outboxMessage.findMany({ where: { jobName: JobName.MediaTranscode, relayedAt: null, payload: { equals: { mediaId } } } });

  it('re-enqueues a media stuck with no job, once, and leaves fresh or queued ones alone', async () => {
    const lost = await createMedia(prisma, { status: 'transcoding', updatedAt: stale() });
    const fresh = await createMedia(prisma, { status: 'uploaded' });
    const queued = await createMedia(prisma, { status: 'uploaded', updatedAt: stale() });
    const done = await createMedia(prisma, { status: 'ready', updatedAt: stale() });
    await queue.add(
      JobName.MediaTranscode,
      { outboxId: 'x', correlationId: null, payload: { mediaId: queued.id } },
      { jobId: `media:${queued.id}` },
    );

    const reconciler = worker.get(MediaReconcilerService);
    const first = await reconciler.reconcile();
    expect(first).toContain(lost.id);
    expect(first).not.toContain(fresh.id);
    expect(first).not.toContain(queued.id);
    expect(first).not.toContain(done.id);
    expect(await pendingJobs(lost.id)).toHaveLength(1);

    // a second pass before the relay ran adds nothing: the outbox row is still pending
    expect(await reconciler.reconcile()).not.toContain(lost.id);
    expect(await pendingJobs(lost.id)).toHaveLength(1);

    created.push(lost.id, fresh.id, queued.id);
    // this pass also picked up other suites' leftovers in the shared test database: keep its rows out of their relays
    const requeued = [...first, lost.id];
    await prisma.outboxMessage.updateMany({
      where: { jobName: JobName.MediaTranscode, relayedAt: null, correlationId: { in: requeued.map((id) => `reconcile:${id}`) } },
      data: { relayedAt: new Date() },
    });
  });
});
