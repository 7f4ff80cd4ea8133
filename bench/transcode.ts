// Transcode benchmark (issue 5): the worker's wall time for the web proxy of a generated 2-minute
// 1080p clip ÷ bare ffmpeg with the same arguments on a local copy, and the peak RSS of the worker
// process and of its ffmpeg child per source size. A real worker process (`apps/worker/dist/main.js`)
// takes the job through the outbox like in production; ffmpeg reads the source over a presigned URL.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/worker... --filter=@isola/local-stack
//   node bench/transcode.ts [--sizes 400] [--seconds 120] [--rounds 1] [--preset veryfast]
//
// --sizes: source sizes in MiB (each a 2-minute 1080p clip at the bitrate that yields that size).
// Anything over ~1 GiB needs the bluestore OSD: OSD_BACKEND=bluestore infra/local/ceph-up.sh --fresh
// (memstore holds objects in RAM, ≤ 4 GiB). Uses its own database (isola_bench) and Redis DB 8.
// BENCH_WORKER_NODE_OPTIONS: node options for the worker process only (e.g. --max-semi-space-size=4),
// to see how V8's young generation sizes its RSS.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { LocalStackAdmin, createTestStudio, loadLocalEnv } from '../infra/local/dist/index.js';
import { createPrismaClient } from '../packages/database/dist/index.js';
import { createMedia, createStorageTarget, createTenant } from '../packages/database/dist/seed/index.js';
import { sourceKey } from '../packages/tenant-storage/dist/index.js';
import { ffmpegArgs, ffprobeArgs, parseProbe, planTranscode } from '../apps/worker/dist/index.js';

// The SDK resolves from the package that depends on it (pnpm keeps it out of the root).
const fromLocalStack = createRequire(new URL('../infra/local/package.json', import.meta.url));
const { PutObjectCommand } = fromLocalStack('@aws-sdk/client-s3') as {
  PutObjectCommand: new (input: { Bucket: string; Key: string; Body: unknown; ContentLength: number; ContentType: string }) => never;
};

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '120' },
    rounds: { type: 'string', default: '1' },
    preset: { type: 'string', default: 'veryfast' },
  },
});
const SIZES_MIB = args.sizes.split(',').map(Number);
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const PRESET = args.preset as 'veryfast';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER_MAIN = join(ROOT, 'apps/worker/dist/main.js');
const DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/isola_bench';
const REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/8';
const MIB = 1024 ** 2;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

// ------------------------------------------------------------------------------------------ processes

/** Peak resident set (VmHWM, KiB → MiB) of a live process, 0 once it is gone. */
function peakRssMib(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Every descendant of `pid` (through /proc/<pid>/task/<tid>/children). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (parent: number) => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

/** Samples the peak RSS of a process and of its children by command name every 50 ms. */
function rssSampler(pid: number) {
  const peaks = { self: 0, children: new Map<string, number>() };
  const timer = setInterval(() => {
    peaks.self = Math.max(peaks.self, peakRssMib(pid));
    for (const child of descendants(pid)) {
      const name = commandOf(child);
      if (name) peaks.children.set(name, Math.max(peaks.children.get(name) ?? 0, peakRssMib(child)));
    }
  }, 50);
  return { peaks, stop: () => clearInterval(timer) };
}

function run(command: string, argv: string[], extraEnv: Record<string, string> = {}): void {
  const result = spawnSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
}

// ------------------------------------------------------------------------------------------ sources

/**
 * A `SECONDS`-long 1080p25 H.264/AAC clip of about `mib` MiB: a test pattern with temporal noise (so
 * the encoder cannot squeeze it below the target bitrate), constant bitrate.
 */
function generateClip(dir: string, mib: number): string {
  const file = join(dir, `clip-${mib}MiB.mp4`);
  const audioKbps = 128;
  const videoKbps = Math.max(500, Math.round((mib * MIB * 8) / SECONDS / 1000 - audioKbps));
  log(`generating a ${SECONDS}s 1080p clip at ${videoKbps} kbit/s (~${mib} MiB)`);
  run('ffmpeg', [
    '-nostdin', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=25:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-vf', 'noise=alls=40:allf=t',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-b:v', `${videoKbps}k`, '-minrate', `${videoKbps}k`, '-maxrate', `${videoKbps}k`, '-bufsize', `${videoKbps * 2}k`,
    '-c:a', 'aac', '-b:a', `${audioKbps}k`, '-shortest', file,
  ]); // prettier-ignore
  log(`  ${(statSync(file).size / MIB).toFixed(0)} MiB`);
  return file;
}

// ------------------------------------------------------------------------------------------ bare ffmpeg

/** The worker's own plan for this file, and its proxy step run by bare ffmpeg on the local file. */
function bareProxy(file: string, dir: string): Promise<{ ms: number; peakMib: number }> {
  const probe = spawnSync('ffprobe', ffprobeArgs(file), { encoding: 'utf8', maxBuffer: 64 * MIB });
  const plan = planTranscode(parseProbe(JSON.parse(probe.stdout)), { x264Preset: PRESET });
  const step = plan.steps.find((s) => s.rendition === 'proxy');
  if (!step) throw new Error('the plan has no proxy step');
  return timeProcess('ffmpeg', ffmpegArgs(step, file, join(dir, `bare-${randomBytes(3).toString('hex')}-${step.fileName}`)));
}

/** Wall time and peak RSS of one process. */
function timeProcess(command: string, argv: string[]): Promise<{ ms: number; peakMib: number }> {
  const started = performance.now();
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let peakMib = 0;
  const timer = setInterval(() => (peakMib = Math.max(peakMib, peakRssMib(child.pid!))), 50);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve({ ms: performance.now() - started, peakMib });
      else reject(new Error(`${command} exited ${code}: ${stderr}`));
    }),
  );
}

// ------------------------------------------------------------------------------------------ the worker

const env = loadLocalEnv();
const admin = new LocalStackAdmin(env);
await admin.waitUntilReady(10_000);
run(process.execPath, [join(ROOT, 'packages/database/scripts/migrate.mjs'), 'deploy', '--create-db'], { DATABASE_URL });
const prisma = createPrismaClient(DATABASE_URL);
const scratch = await mkdtemp(join(tmpdir(), 'isola-bench-transcode-'));
const studio = await createTestStudio(admin, { label: 'bench-transcode' });
const tenant = await createTenant(prisma);
const target = await createStorageTarget(
  prisma,
  {
    tenantId: tenant.id,
    mode: 'isolated',
    endpoint: env.endpoint,
    region: env.region,
    bucket: studio.bucket,
    prefix: 'bench',
    roleArn: studio.roleArn,
  },
  { activate: true },
);

interface WorkerRun {
  proxyMs: number;
  jobMs: number;
  workerPeakMib: number;
  ffmpegPeakMib: number;
}

/** Puts the source in the studio's bucket, then one real worker process transcodes it (outbox → Bull → ffmpeg). */
async function workerTranscode(file: string): Promise<WorkerRun> {
  const id = randomUUID();
  const key = sourceKey(target.prefix, id, 'bench.mp4');
  const size = statSync(file).size;
  await admin.s3.send(
    new PutObjectCommand({ Bucket: studio.bucket, Key: key, Body: createReadStream(file), ContentLength: size, ContentType: 'video/mp4' }),
  );
  await createMedia(prisma, {
    id,
    storageTargetId: target.id,
    objectKey: key,
    filename: 'bench.mp4',
    contentType: 'video/mp4',
    kind: 'video',
    sizeBytes: BigInt(size),
    status: 'uploaded',
  });
  await prisma.transcodeGrant.create({
    data: { mediaId: id, tenantId: tenant.id, expiresAt: new Date(Date.now() + 3_600_000), issuedBy: 'system', reason: 'bench' },
  });
  await prisma.outboxMessage.create({
    data: { jobName: 'Media.Transcode', payload: { mediaId: id }, correlationId: `bench-${id.slice(0, 8)}` },
  });

  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete childEnv['NODE_OPTIONS'];
  const worker = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      ...childEnv,
      NODE_ENV: 'development',
      LOG_LEVEL: 'debug',
      DATABASE_URL,
      REDIS_URL,
      QUEUE_PREFIX: `isola-bench-${randomBytes(4).toString('hex')}`,
      S3_ENDPOINT: env.endpoint,
      S3_REGION: env.region,
      WORKER_PLATFORM_ACCESS_KEY_ID: env.worker.accessKeyId,
      WORKER_PLATFORM_SECRET_ACCESS_KEY: env.worker.secretAccessKey,
      WORKER_PLATFORM_PRINCIPAL_ARN: `arn:aws:iam:::user/${env.worker.userId}`,
      STARTUP_CHECKS: 'false',
      WORKER_SCRATCH_DIR: scratch,
      TRANSCODE_X264_PRESET: PRESET,
      OUTBOX_POLL_MS: '200',
      ...(process.env['BENCH_WORKER_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_WORKER_NODE_OPTIONS'] } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = rssSampler(worker.pid!);
  let proxyMs = Number.NaN;
  let tail = '';
  const onLine = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
    const match = /proxy encoded in (\d+) ms/.exec(chunk.toString());
    if (match) proxyMs = Number(match[1]);
  };
  worker.stdout.on('data', onLine);
  worker.stderr.on('data', onLine);

  const started = performance.now();
  let jobMs = Number.NaN;
  try {
    for (;;) {
      const media = await prisma.media.findUniqueOrThrow({ where: { id }, select: { status: true, failureReason: true } });
      if (media.status === 'ready') break;
      if (media.status === 'failed') throw new Error(`transcode failed: ${media.failureReason}`);
      if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode}):\n${tail}`);
      if (performance.now() - started > 30 * 60_000) throw new Error('no result after 30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    jobMs = performance.now() - started;
  } finally {
    sampler.stop();
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  if (Number.isNaN(proxyMs)) throw new Error(`the worker logged no proxy timing:\n${tail}`);
  return { proxyMs, jobMs, workerPeakMib: sampler.peaks.self, ffmpegPeakMib: sampler.peaks.children.get('ffmpeg') ?? 0 };
}

// ------------------------------------------------------------------------------------------ main

try {
  if (!existsSync(WORKER_MAIN)) throw new Error('build the worker first: pnpm turbo run build --filter=@isola/worker...');
  const rows: string[] = [];
  for (const mib of SIZES_MIB) {
    const file = generateClip(scratch, mib);
    const bare: { ms: number; peakMib: number }[] = [];
    const worker: WorkerRun[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      log(`${mib} MiB, round ${round + 1}/${ROUNDS}: bare ffmpeg`);
      bare.push(await bareProxy(file, scratch));
      log(`${mib} MiB, round ${round + 1}/${ROUNDS}: worker`);
      worker.push(await workerTranscode(file));
    }
    const bareMs = median(bare.map((b) => b.ms));
    const proxyMs = median(worker.map((w) => w.proxyMs));
    rows.push(
      [
        `${(statSync(file).size / MIB).toFixed(0)} MiB`,
        `${(bareMs / 1000).toFixed(1)} s`,
        `${(proxyMs / 1000).toFixed(1)} s`,
        (proxyMs / bareMs).toFixed(3),
        `${(median(worker.map((w) => w.jobMs)) / 1000).toFixed(1)} s`,
        `${Math.max(...worker.map((w) => w.workerPeakMib)).toFixed(0)} MiB`,
        `${Math.max(...worker.map((w) => w.ffmpegPeakMib)).toFixed(0)} MiB`,
        `${Math.max(...bare.map((b) => b.peakMib)).toFixed(0)} MiB`,
      ].join(' | '),
    );
    await rm(file, { force: true });
  }
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? 'unknown CPU';
  console.log(
    `\nTranscode benchmark — ${SECONDS}s 1080p25 clip, proxy preset ${PRESET}, ${ROUNDS} round(s), ${cpu}, ${new Date().toISOString()}`,
  );
  console.log(
    'source | bare ffmpeg proxy | worker proxy | ratio (target ≤ 1.15) | worker job (all renditions) | worker peak RSS (< 300 MiB) | its ffmpeg peak RSS | bare ffmpeg peak RSS',
  );
  console.log('---|---|---|---|---|---|---|---');
  for (const row of rows) console.log(row);
} finally {
  // renditions reference the target without cascading: rows first, then the tenant
  await prisma.rendition.deleteMany({ where: { media: { tenantId: tenant.id } } }).catch(() => undefined);
  await prisma.media.deleteMany({ where: { tenantId: tenant.id } }).catch(() => undefined);
  await prisma.tenant.update({ where: { id: tenant.id }, data: { activeTargetId: null } }).catch(() => undefined);
  await prisma.tenant.delete({ where: { id: tenant.id } }).catch(() => undefined);
  await prisma.$disconnect();
  await studio.destroy();
  admin.destroy();
  await rm(scratch, { recursive: true, force: true });
}
