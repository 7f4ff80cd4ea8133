import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Bull, { type Queue } from 'bull';
import { QueueName } from '@isola/contracts';
import { bullOptions } from '../../src/queue/redis-options.js';
import { MigrationWorld, REDIS_URL } from './migration-world.js';
import { waitFor } from './support/studio-harness.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const MEDIA = 40;

/**
 * Issue 6 acceptance: a worker PROCESS (`node dist/main.js`) is killed with SIGKILL in the middle of
 * a migration (some media switched, one possibly half-copied); a new process takes the stalled job
 * over (Bull: the dead one's lock expires) and resumes from the items' statuses. The migration
 * completes, every object on the new target hashes to its recorded SHA-256, and the new prefix holds
 * exactly the expected keys: an interrupted copy was overwritten, never duplicated.
 */
describe('a worker killed mid-migration, then restarted (real processes, Redis, RGW)', () => {
  let world: MigrationWorld;
  let queue: Queue;
  const workers: ChildProcess[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the worker first (pnpm run build)`);
    world = await MigrationWorld.open('mig-crash');
    await world.seed({ media: MEDIA });
    queue = new Bull(QueueName.Storage, bullOptions(REDIS_URL, world.queuePrefix));
  }, 120_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await world?.close();
  });

  function startWorker(name: string): ChildProcess {
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    delete env['NODE_OPTIONS'];
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...env,
        ...world.workerEnv({
          LOG_LEVEL: 'warn',
          MIGRATION_CONCURRENCY: '1',
          WORKER_JOB_LOCK_MS: '2000',
          WORKER_STALLED_CHECK_MS: '1000',
          WORKER_SHUTDOWN_GRACE_MS: '300',
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => logs.push(`[${name}] ${chunk.toString('utf8').trimEnd()}`);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    workers.push(child);
    return child;
  }

  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });

  it('kill -9 after some media switched, restart: completes, every checksum verified, no duplicate objects', async () => {
    const { prisma } = world;
    const { migrationId, outboxId } = await world.activateIsolated();
    const switched = () => prisma.migrationItem.count({ where: { migrationId, status: 'switched' } });
    try {
      const first = startWorker('w1');
      await world.enqueue(queue, migrationId, outboxId);
      await waitFor('some media to be switched', async () => (await switched()) >= 3, 60_000, 10);
      first.kill('SIGKILL');
      await exited(first);

      const atCrash = await prisma.migration.findUniqueOrThrow({ where: { id: migrationId } });
      const switchedAtCrash = await switched();
      expect(atCrash.status).toBe('running');
      expect(switchedAtCrash).toBeLessThan(MEDIA); // it really died mid-way

      startWorker('w2');
      const done = await waitFor(
        'the migration to complete',
        async () => {
          const row = await prisma.migration.findUniqueOrThrow({ where: { id: migrationId } });
          return row.status === 'completed' || row.status === 'failed' ? row : null;
        },
        90_000,
        100,
      );
      expect(done).toMatchObject({
        status: 'completed',
        copiedObjects: world.expected.length,
        totalObjects: world.expected.length,
        failedObjects: 0,
      });
      expect(await switched()).toBe(MEDIA);
      // the same job, taken over after the stall (Bull records it completed just after the row is)
      await waitFor(
        'the job to be completed',
        async () => (await (await queue.getJob(`migration:${migrationId}`))?.getState()) === 'completed',
        10_000,
      );

      // the new prefix: exactly one object per expected key, each hashing to its recorded SHA-256
      expect(await world.keys(world.studio.bucket, 'isola/')).toEqual(world.expectedKeys());
      expect(await world.checksumMismatches()).toEqual([]);
      const media = await prisma.media.findMany({ where: { tenantId: world.tenant.id }, include: { renditions: true } });
      expect(
        media.every((m) => m.storageTargetId === world.isolated.id && m.renditions.every((r) => r.storageTargetId === world.isolated.id)),
      ).toBe(true);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker logs ---\n${logs.join('\n')}`, { cause: error });
    }
  }, 150_000);
});
