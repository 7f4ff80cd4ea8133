// `pnpm bench`: every benchmark in sequence, each printing its own table (see docs/benchmarks.md).
// Checks first that the builds they import exist, and that the local RGW answers.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/api... --filter=@isola/worker... --filter=@isola/local-stack
//   pnpm bench                 # full sizes (1 GiB upload, 2-minute 1080p transcode of 400 MiB, …)
//   pnpm bench --quick         # reduced sizes, minutes instead of tens of minutes
//   pnpm bench --only upload,migration
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });

const BENCHES: { name: string; full: string[]; quick: string[] }[] = [
  { name: 'link-minting', full: [], quick: ['--rounds', '5'] },
  { name: 'upload', full: ['--mib', '1024'], quick: ['--mib', '256', '--rounds', '3'] },
  { name: 'links-api', full: ['--seconds', '10', '--rounds', '3'], quick: ['--seconds', '4', '--rounds', '3'] },
  { name: 'transcode', full: ['--sizes', '400'], quick: ['--sizes', '100', '--seconds', '30'] },
  { name: 'thumbnail-latency', full: ['--clips', '20'], quick: ['--clips', '20'] },
  { name: 'migration', full: ['--objects', '48', '--object-mib', '12'], quick: ['--objects', '24', '--object-mib', '8'] },
];

const BUILDS = [
  'infra/local/dist/index.js',
  'packages/runtime/dist/index.js',
  'packages/credentials/dist/index.js',
  'packages/tenant-storage/dist/index.js',
  'packages/database/dist/index.js',
  'apps/api/dist/app.factory.js',
  'apps/worker/dist/main.js',
];
const missing = BUILDS.filter((file) => !existsSync(join(ROOT, file)));
if (missing.length > 0) {
  console.error(`Missing builds: ${missing.join(', ')}`);
  console.error('Build first: pnpm turbo run build --filter=@isola/api... --filter=@isola/worker... --filter=@isola/local-stack');
  process.exit(1);
}
for (const tool of ['ffmpeg', 'ffprobe']) {
  if (spawnSync(tool, ['-version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`${tool} is not on PATH (the transcode and thumbnail benchmarks need it)`);
    process.exit(1);
  }
}
const rgw = await fetch('http://127.0.0.1:7480/').catch(() => null);
if (rgw === null) {
  console.error('The local RGW does not answer on 127.0.0.1:7480: bash infra/local/ceph-up.sh --no-ffmpeg');
  process.exit(1);
}

const only = args.only?.split(',').map((s) => s.trim());
const results: { name: string; status: number | null; seconds: number }[] = [];
for (const bench of BENCHES.filter((b) => !only || only.includes(b.name))) {
  const argv = args.quick ? bench.quick : bench.full;
  console.log(`\n=== ${bench.name} ${argv.join(' ')}`);
  const started = performance.now();
  const childEnv = { ...process.env };
  delete childEnv['NODE_OPTIONS'];
  const run = spawnSync(process.execPath, [join(ROOT, 'bench', `${bench.name}.ts`), ...argv], { stdio: 'inherit', env: childEnv });
  results.push({ name: bench.name, status: run.status, seconds: (performance.now() - started) / 1000 });
}
console.log('\n=== summary');
for (const r of results)
  console.log(`${r.name.padEnd(20)} ${r.status === 0 ? 'ok    ' : `FAILED (${r.status})`} ${r.seconds.toFixed(0)} s`);
if (results.some((r) => r.status !== 0)) process.exitCode = 1;
