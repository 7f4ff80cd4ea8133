import { readdir } from 'node:fs/promises';
import { numberOption, reportFault } from '@isola/local-stack';
import { FaultWorld } from './support/fault-world.js';

const UPLOADS = numberOption('FAULT_UPLOADS', 100);

/**
 * Redis (its own, nothing on disk) killed and started again twice during UPLOADS uploads through the
 * Uppy routes, with worker processes relaying the outbox and transcoding. Its own PostgreSQL too: the
 * relay and a reconciler with a short RECONCILE_STUCK_AFTER_MS would otherwise act on other suites'
 * rows. The second restart lands when jobs have been relayed to Redis but not consumed (the consuming
 * worker is stopped then), so those jobs die with Redis: the reconciler must re-enqueue them through
 * the outbox. Every completed upload ends transcoded, none twice (one grant consumed, one set of
 * renditions per media).
 */
describe('fault: Redis restarted during uploads (own Redis and PostgreSQL, real API + worker processes)', () => {
  let world: FaultWorld;
  let retriedAttempts = 0;

  beforeAll(async () => {
    world = await FaultWorld.open('redis');
  }, 180_000);
  afterAll(async () => {
    await world?.close();
  });

  /** One upload as Uppy does it; a client retries (Uppy does): it is lost only when it never completes. */
  async function upload(i: number): Promise<{ mediaId: string | null; failure?: string }> {
    let failure = '';
    for (let attempt = 0; attempt < 20; attempt += 1) {
      try {
        const up = await world.startUpload(`tiny-${i}.jpg`);
        const done = await world.complete(up);
        if (done.status !== 200) throw new Error(`complete ${done.status} ${JSON.stringify(done.body)}`);
        return { mediaId: up.mediaId };
      } catch (error) {
        failure = (error as Error).message;
        retriedAttempts += 1;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return { mediaId: null, failure };
  }

  it(
    `${UPLOADS} uploads, Redis killed and restarted twice (once between relay and consume): all transcoded, none twice`,
    async () => {
      world.startWorker('relay', { TRANSCODE_ENABLED: 'false', RECONCILER_ENABLED: 'false', REVOCATION_RECHECK_ENABLED: 'false' });
      let consumer = world.startWorker('consumer-1', { OUTBOX_RELAY_ENABLED: 'false', REVOCATION_RECHECK_ENABLED: 'false' });
      const completed: string[] = [];
      const failures: string[] = [];
      const third = Math.max(1, Math.floor(UPLOADS / 3));
      const record = (r: { mediaId: string | null; failure?: string }) =>
        r.mediaId ? completed.push(r.mediaId) : failures.push(r.failure ?? '?');
      try {
        // 1. A first third with everything running; Redis is killed and restarted in the middle of it.
        const batch1 = Promise.all(Array.from({ length: third }, (_, i) => upload(i).then(record)));
        await new Promise((r) => setTimeout(r, 300));
        await world.redis.restart(500);
        await batch1;

        // 2. The consumer is stopped: the next third is relayed to Redis, nobody consumes it.
        await world.stopWorker(consumer);
        for (let i = third; i < 2 * third; i += 1) record(await upload(i));
        const relayedNotConsumed = await waitForRelayed(completed);
        // 3. Redis loses those relayed jobs; the rest is uploaded while a new consumer starts.
        await world.redis.restart(500);
        consumer = world.startWorker('consumer-2', { OUTBOX_RELAY_ENABLED: 'false', REVOCATION_RECHECK_ENABLED: 'false' });
        await Promise.all(Array.from({ length: UPLOADS - 2 * third }, (_, i) => upload(2 * third + i).then(record)));

        const settleStart = Date.now();
        const stillPending = await world.settle(completed, 120_000 + UPLOADS * 3_000);
        const settleMs = Date.now() - settleStart;
        await world.stopWorkers();

        const rows = await world.prisma.media.findMany({
          where: { id: { in: completed } },
          include: { renditions: true, transcodeGrants: true },
        });
        const notReady = rows.filter((m) => m.status !== 'ready').length + (completed.length - rows.length);
        const twice = rows.filter(
          (m) =>
            m.transcodeGrants.filter((g) => g.consumedAt !== null).length !== 1 ||
            new Set(m.renditions.map((r) => r.kind)).size !== m.renditions.length,
        ).length;
        const reenqueued = await world.prisma.outboxMessage.count({ where: { correlationId: { startsWith: 'reconcile:' } } });
        const scratchLeft = (await readdir(world.scratch)).length;
        reportFault(
          'redis restart',
          `2 × kill -9 + start of redis-server during ${UPLOADS} uploads (${relayedNotConsumed} completed uploads relayed, not yet consumed, when the 2nd hit)`,
          {
            uploadsNeverCompleted: failures.length,
            completedNotTranscoded: notReady,
            transcodedOtherThanOnce: twice,
            scratchEntriesLeft: scratchLeft,
          },
          `${reenqueued} media re-enqueued by the reconciler; all settled ${stillPending === 0 ? `${settleMs} ms after the last upload` : `NOT within ${settleMs} ms`}; ${retriedAttempts} upload attempts failed and were retried by the client${failures.length ? `; failures: ${failures.slice(0, 3).join(' | ')}` : ''}`,
        );
        expect(relayedNotConsumed).toBeGreaterThan(0);
        expect({ failures: failures.length, notReady, twice, scratchLeft }).toEqual({ failures: 0, notReady: 0, twice: 0, scratchLeft: 0 });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- worker logs ---\n${world.logs.slice(-60).join('\n')}`, { cause: error });
      }
    },
    300_000 + UPLOADS * 6_000,
  );

  /** Waits until every outbox row has been relayed; returns how many completed uploads are still `uploaded`. */
  async function waitForRelayed(mediaIds: string[]): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await world.prisma.outboxMessage.count({ where: { relayedAt: null } })) > 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return world.prisma.media.count({ where: { id: { in: mediaIds }, status: 'uploaded' } });
  }
});
