import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Bull, { type Queue } from 'bull';
import { QueueName } from '@isola/contracts';
import type { Media } from '@isola/database';
import { bullOptions } from '../../src/queue/redis-options.js';
import { MediaFixtures } from '../integration/support/media-fixtures.js';
import { REDIS_URL, StudioHarness, waitFor } from '../integration/support/studio-harness.js';
import { numberOption, reportFault } from '@isola/local-stack';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const REPEATS = numberOption('FAULT_REPEATS', 20);
const RENDITIONS = ['filmstrip', 'poster', 'proxy', 'thumbnail'];

/**
 * `kill -9` of a worker process in the middle of a transcode, FAULT_REPEATS times (default 20), each
 * on a fresh tiny clip: the next worker sweeps the dead one's scratch and finishes the stalled job.
 * Every media must end `ready` with exactly one set of renditions, and no scratch may survive.
 */
describe('fault: kill -9 of a worker mid-transcode, repeated (real processes, ffmpeg, Redis, RGW)', () => {
  let studio: StudioHarness;
  let fixtures: MediaFixtures;
  let queue: Queue;
  const workers: ChildProcess[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the worker first (pnpm run build)`);
    [studio, fixtures] = await Promise.all([StudioHarness.open('fault-kill'), MediaFixtures.create()]);
    queue = new Bull(QueueName.Media, bullOptions(REDIS_URL, studio.queuePrefix));
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await fixtures?.dispose();
    await studio?.close();
  });

  function startWorker(name: string): ChildProcess {
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    delete env['NODE_OPTIONS'];
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...env,
        ...studio.workerEnv({
          LOG_LEVEL: 'warn',
          WORKER_JOB_LOCK_MS: '2000',
          WORKER_STALLED_CHECK_MS: '1000',
          WORKER_SHUTDOWN_GRACE_MS: '300',
          // the shared test database: the reconciler would act on other suites' media
          RECONCILER_ENABLED: 'false',
          // slow enough that a tiny clip is still encoding when the kill lands
          TRANSCODE_X264_PRESET: 'veryslow',
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

  const state = (m: Media) => studio.prisma.media.findUniqueOrThrow({ where: { id: m.id }, select: { status: true, progress: true } });

  it(
    `${REPEATS} kill -9 mid-transcode: every media ready, one set of renditions each, no scratch left`,
    async () => {
      const clip = await fixtures.video('tiny.mp4', { seconds: 2, width: 320, height: 180 });
      const media: Media[] = [];
      let midTranscode = 0;
      try {
        let victim = startWorker('w0');
        for (let i = 0; i < REPEATS; i += 1) {
          const m = await studio.createSource({
            file: clip,
            filename: `tiny-${i}.mp4`,
            contentType: 'video/mp4',
            kind: 'video',
            sha256: true,
          });
          media.push(m);
          await studio.enqueue(queue, m.id);
          // mid-transcode = the job has started (status transcoding) and reported progress, not yet done
          const caught = await waitFor(
            `media ${i} to be mid-transcode`,
            async () => {
              const s = await state(m);
              if (s.status === 'ready' || s.status === 'failed') return 'missed';
              return s.status === 'transcoding' && s.progress > 0 ? 'caught' : null;
            },
            30_000,
            20,
          );
          victim.kill('SIGKILL');
          await exited(victim);
          if (caught === 'caught') midTranscode += 1;
          // the next worker sweeps the dead one's scratch, takes the stalled job over and finishes it;
          // it is the next iteration's victim
          victim = startWorker(`w${i + 1}`);
          await waitFor(`media ${i} to be ready after the kill`, async () => ['ready', 'failed'].includes((await state(m)).status), 60_000);
        }
        victim.kill('SIGTERM');
        await exited(victim);

        const rows = await studio.prisma.media.findMany({ where: { id: { in: media.map((m) => m.id) } }, include: { renditions: true } });
        const notReady = rows.filter((r) => r.status !== 'ready').length + (media.length - rows.length);
        let wrongRenditions = 0;
        for (const row of rows) {
          const kinds = row.renditions.map((r) => r.kind).sort();
          const objects = Object.keys(await studio.renditionObjects(row.id)).sort();
          if (kinds.join() !== RENDITIONS.join() || objects.join() !== 'filmstrip.jpg,poster.jpg,proxy.mp4,thumbnail.jpg')
            wrongRenditions += 1;
        }
        const scratchLeft = (await readdir(studio.scratchRoot)).length;
        reportFault(
          'worker kill -9',
          `${REPEATS} kill -9 (${midTranscode} mid-transcode, ${REPEATS - midTranscode} after the job had finished)`,
          { mediaNotReady: notReady, mediaWithoutExactlyOneRenditionSet: wrongRenditions, scratchEntriesLeft: scratchLeft },
        );
        expect(midTranscode).toBeGreaterThan(0);
        expect({ notReady, wrongRenditions, scratchLeft }).toEqual({ notReady: 0, wrongRenditions: 0, scratchLeft: 0 });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- worker logs ---\n${logs.slice(-80).join('\n')}`, { cause: error });
      }
    },
    60_000 + REPEATS * 45_000,
  );
});
