// Thumbnail latency benchmark (issue 8, benchmark 4): from the upload's completion (the API's 200 to
// `POST /api/s3/multipart/:id/complete`) to the thumbnail being visible (`GET /api/media/:id` lists a
// `thumbnail` rendition), for N short clips uploaded one after another through Isola's flow and
// processed by a real worker process (apps/worker/dist/main.js, production defaults: outbox relay
// every 250 ms, Bull, ffmpeg); p50 and p95. The API is polled every --poll-ms.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/api... --filter=@isola/worker... --filter=@isola/local-stack
//   node bench/thumbnail-latency.ts [--clips 20] [--seconds 5] [--poll-ms 50]
//
// Uses its own database (isola_bench) and Redis DB 8 with a fresh queue prefix shared by the API and
// the worker; clips are 640×360 H.264/AAC test patterns generated with ffmpeg.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { loadLocalEnv } from '../infra/local/dist/index.js';
import { callApi, log, openApiBench, quantile, uploadThroughIsola } from './lib/isola-api.ts';
import { startWorker } from './lib/worker-process.ts';

const { values: args } = parseArgs({
  options: {
    clips: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '5' },
    'poll-ms': { type: 'string', default: '50' },
  },
});
const CLIPS = Number(args.clips);
const SECONDS = Number(args.seconds);
const POLL_MS = Number(args['poll-ms']);
const TIMEOUT_MS = 5 * 60_000;

const scratch = await mkdtemp(join(tmpdir(), 'isola-bench-thumbs-'));
const clip = join(scratch, 'clip.mp4');
const generated = spawnSync('ffmpeg', [
  '-nostdin', '-v', 'error', '-y',
  '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${SECONDS}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
  '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip,
], { encoding: 'utf8' }); // prettier-ignore
if (generated.status !== 0) throw new Error(`ffmpeg failed: ${generated.stderr}`);
const bytes = new Uint8Array(readFileSync(clip));

const env = loadLocalEnv();
const queuePrefix = `isola-bench-${randomBytes(4).toString('hex')}`;
const bench = await openApiBench('bench-thumbs', { process: true, env: { QUEUE_PREFIX: queuePrefix } });
const worker = startWorker(env, { queuePrefix, scratchDir: scratch });
try {
  const latencies: number[] = [];
  const ready: number[] = [];
  for (let i = 1; i <= CLIPS; i += 1) {
    const mediaId = await uploadThroughIsola(bench, bytes, { filename: `clip ${i}.mp4`, type: 'video/mp4' });
    const completed = performance.now();
    let thumbnailAt = Number.NaN;
    for (;;) {
      const res = await callApi(bench, `/api/media/${mediaId}`);
      const media = (await res.json()) as { status: string; failureReason: string | null; renditions?: { kind: string }[] };
      const now = performance.now();
      if (Number.isNaN(thumbnailAt) && media.renditions?.some((r) => r.kind === 'thumbnail')) {
        thumbnailAt = now;
        latencies.push(now - completed);
      }
      if (media.status === 'ready') {
        ready.push(now - completed);
        if (Number.isNaN(thumbnailAt)) throw new Error(`media ${mediaId} is ready without a thumbnail`);
        break;
      }
      if (media.status === 'failed') throw new Error(`media ${mediaId} failed: ${media.failureReason}`);
      if (worker.child.exitCode !== null) throw new Error(`the worker exited (${worker.child.exitCode}):\n${worker.tail()}`);
      if (now - completed > TIMEOUT_MS) throw new Error(`no thumbnail after ${TIMEOUT_MS / 1000} s:\n${worker.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    log(
      `clip ${i}/${CLIPS}: thumbnail after ${(latencies.at(-1)! / 1000).toFixed(2)} s, ready after ${(ready.at(-1)! / 1000).toFixed(2)} s`,
    );
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `\nThumbnail latency benchmark — ${CLIPS} clips of ${SECONDS} s 640×360 (${(bytes.length / 1024).toFixed(0)} KiB), uploaded one after another, ` +
      `one worker process, API polled every ${POLL_MS} ms, ${new Date().toISOString()}`,
  );
  console.log('measure | p50 | p95 | min | max');
  console.log('---|---|---|---|---');
  for (const [name, values] of [
    ['upload complete → thumbnail visible', latencies],
    ['upload complete → media ready (all renditions)', ready],
  ] as const) {
    console.log(
      `${name} | ${s(quantile(values, 0.5))} | ${s(quantile(values, 0.95))} | ${s(Math.min(...values))} | ${s(Math.max(...values))}`,
    );
  }
} finally {
  await worker.stop();
  await bench.close();
  await rm(scratch, { recursive: true, force: true });
}
