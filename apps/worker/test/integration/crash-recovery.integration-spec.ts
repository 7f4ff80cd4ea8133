import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Bull, { type Queue } from 'bull';
import { QueueName } from '@isola/contracts';
import type { Media } from '@isola/database';
import { bullOptions } from '../../src/queue/redis-options.js';
import { isProcessAlive } from '../../src/transcoding/scratch-space.js';
import { MediaFixtures } from './support/media-fixtures.js';
import { REDIS_URL, StudioHarness, waitFor } from './support/studio-harness.js';

const STOPPED_BY_SIGTERM = { code: null, signal: 'SIGTERM' };
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/**
 * Several real worker processes (`node dist/main.js`) on one queue: one killed with SIGKILL in the
 * middle of a transcode, one stopped with SIGTERM in the middle of the retry, a third finishing the
 * job. The media ends ready with one set of renditions, and no scratch survives any of them.
 */
describe('worker processes crashing and stopping mid-transcode (real processes, ffmpeg, Redis, RGW)', () => {
  let studio: StudioHarness;
  let fixtures: MediaFixtures;
  let queue: Queue;
  const workers: ChildProcess[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the worker first (pnpm run build)`);
    [studio, fixtures] = await Promise.all([StudioHarness.open('crash'), MediaFixtures.create()]);
    queue = new Bull(QueueName.Media, bullOptions(REDIS_URL, studio.queuePrefix));
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await fixtures?.dispose();
    await studio?.close();
  });

  /** A worker process on this suite's queue and scratch root; a short Bull lock so a crash is noticed fast. */
  function startWorker(name: string, overrides: Record<string, string>): ChildProcess {
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
          ...overrides,
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
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => resolve({ code, signal }));
    });

  const state = (m: Media) => studio.prisma.media.findUniqueOrThrow({ where: { id: m.id }, select: { status: true, progress: true } });

  /** The ffmpeg/ffprobe processes a worker has recorded in its scratch folders. */
  async function recordedChildren(pid: number): Promise<number[]> {
    const dirs = (await readdir(studio.scratchRoot)).filter((d) => d.startsWith(`proc-${pid}-`));
    const pids: number[] = [];
    for (const dir of dirs) {
      for (const job of await readdir(join(studio.scratchRoot, dir), { withFileTypes: true })) {
        if (!job.isDirectory()) continue;
        for (const file of await readdir(join(studio.scratchRoot, dir, job.name))) {
          if (file.startsWith('child-')) pids.push(Number(file.slice('child-'.length)));
        }
      }
    }
    return pids;
  }

  it('kill -9 mid-transcode, SIGTERM mid-retry, then a third worker: ready, one set of renditions, no scratch left', async () => {
    const video = await fixtures.video('long.mp4', { seconds: 6, width: 960, height: 540 });
    const media = await studio.createSource({ file: video, filename: 'long.mp4', contentType: 'video/mp4', kind: 'video', sha256: true });
    const job = await studio.enqueue(queue, media.id);

    try {
      // 1. A slow worker gets into the proxy, then dies without a chance to clean up.
      const first = startWorker('w1', { TRANSCODE_X264_PRESET: 'veryslow' });
      await waitFor('w1 to be encoding the proxy', async () => (await state(media)).progress >= 20, 30_000);
      const orphans = await recordedChildren(first.pid!);
      expect(orphans.length).toBeGreaterThan(0);
      first.kill('SIGKILL');
      await exited(first);
      expect((await state(media)).status).toBe('transcoding');
      expect((await readdir(studio.scratchRoot)).some((d) => d.startsWith(`proc-${first.pid}-`))).toBe(true); // left behind
      expect(orphans.some((pid) => isProcessAlive(pid, null))).toBe(true); // its ffmpeg still runs

      // 2. The next worker sweeps the dead one's scratch (killing its ffmpeg), takes the stalled job
      //    over, and is stopped (SIGTERM) in the middle of it: it aborts, wipes and releases the job.
      const second = startWorker('w2', { TRANSCODE_X264_PRESET: 'veryslow' });
      await waitFor(
        'the dead worker’s scratch to be swept',
        async () => !(await readdir(studio.scratchRoot)).some((d) => d.startsWith(`proc-${first.pid}-`)),
        15_000,
      );
      await waitFor('its ffmpeg to be killed', async () => orphans.every((pid) => !isProcessAlive(pid, null)), 5_000);
      await waitFor('w2 to restart the job', async () => (await state(media)).progress < 20, 15_000);
      await waitFor('w2 to be encoding the proxy', async () => (await state(media)).progress >= 20, 30_000);
      second.kill('SIGTERM');
      // Nest closes the app, then re-raises the signal: the exit says SIGTERM; what shows the shutdown
      // was graceful is below (its scratch removed, its job released).
      expect(await exited(second)).toEqual(STOPPED_BY_SIGTERM);
      expect(await readdir(studio.scratchRoot)).toEqual([]); // its own folder removed on the way out
      expect((await state(media)).status).toBe('transcoding');
      const released = await queue.getJob(job.id);
      expect(released?.attemptsMade).toBe(1); // the attempt was given back to the queue
      expect(['delayed', 'waiting']).toContain(await released?.getState());

      // 3. A third worker finishes it.
      const third = startWorker('w3', { TRANSCODE_X264_PRESET: 'ultrafast' });
      await waitFor('the media to be ready', async () => (await state(media)).status === 'ready', 45_000);
      const row = await studio.prisma.media.findUniqueOrThrow({ where: { id: media.id }, include: { renditions: true } });
      expect(row).toMatchObject({ status: 'ready', progress: 100, width: 960, height: 540, durationMs: 6_000 });
      expect(row.renditions.map((r) => r.kind).sort()).toEqual(['filmstrip', 'poster', 'proxy', 'thumbnail']);
      expect(Object.keys(await studio.renditionObjects(media.id)).sort()).toEqual([
        'filmstrip.jpg',
        'poster.jpg',
        'proxy.mp4',
        'thumbnail.jpg',
      ]);
      expect((await studio.prisma.transcodeGrant.findFirstOrThrow({ where: { mediaId: media.id } })).consumedAt).not.toBeNull();

      const [own] = await readdir(studio.scratchRoot);
      expect(own).toMatch(new RegExp(`^proc-${third.pid}-`));
      expect(await readdir(join(studio.scratchRoot, own!))).toEqual(['owner.json']);
      third.kill('SIGTERM');
      expect(await exited(third)).toEqual(STOPPED_BY_SIGTERM);
      expect(await readdir(studio.scratchRoot)).toEqual([]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- worker logs ---\n${logs.join('\n')}`, { cause: error });
    }
  }, 120_000);
});
