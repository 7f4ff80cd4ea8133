// Migration benchmark (issue 8, benchmark 5): the copy rate (bytes/s) of the worker's Storage.Migrate
// job — a real worker process (apps/worker/dist/main.js) moving a studio's media from hosted storage
// (the local stack's hosted bucket and role) to the studio's own bucket, relayed from the outbox as in
// production — ÷ a raw S3 get-and-put loop over the same objects: role credentials of the same two
// roles assumed by the worker's platform principal, GetObject then PutObject, the same concurrency
// (MIGRATION_CONCURRENCY). The raw loop runs before and after the worker; its figure is the mean.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/worker... --filter=@isola/local-stack
//   node bench/migration.ts [--objects 24] [--object-mib 12] [--concurrency 4] [--worker-log FILE] [--worker-cpu-prof DIR] [--warm-round]
//
// The worker's rate is copied_bytes ÷ (finished_at − started_at) of the migration row (planning,
// SHA-256 verification, source tagging and pointer switches included). Objects are smaller than the
// worker's part size (16 MiB), so both sides copy each with one GET and one PUT. Memstore holds
// everything in RAM: keep objects × object-mib × 3 well under 4 GiB. Own database (isola_bench),
// Redis DB 8, a fresh queue prefix; transcoding, the reconciler and the recovery loops are off.
// Where the worker's time went (not part of the ratio): its timeline from the migration's items
// (start → first media switched, last switched → finished) and the CPU seconds each side used (from
// /proc for the worker process, process.cpuUsage for the raw loop); with --worker-log, the worker logs at
// debug level into FILE and the table adds its AssumeRole calls per purpose and per-media stage times;
// with --worker-cpu-prof, the worker writes a V8 CPU profile into DIR when it stops; with --warm-round,
// the worker then moves the same media back (studio → hosted) and that second run, in a process no
// longer cold, is printed as a diagnostic (the figure stays the first run of a freshly started worker).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { LocalStackAdmin, createTestStudio, loadLocalEnv, roleArn } from '../infra/local/dist/index.js';
import { createPrismaClient } from '../packages/database/dist/index.js';
import { createMedia, createStorageTarget, createTenant } from '../packages/database/dist/seed/index.js';
import { sourceKey } from '../packages/tenant-storage/dist/index.js';
import { BENCH_DATABASE_URL, MIB, log, migrateBenchDatabase, quantile, removeTenant } from './lib/isola-api.ts';
import { startWorker } from './lib/worker-process.ts';

interface Command {
  readonly input: object;
}
interface S3Like {
  send(command: Command): Promise<Record<string, unknown>>;
  destroy(): void;
}
interface SdkS3 {
  S3Client: new (config: object) => S3Like;
  GetObjectCommand: new (input: { Bucket: string; Key: string }) => Command;
  PutObjectCommand: new (input: { Bucket: string; Key: string; Body: Uint8Array; ContentType?: string }) => Command;
  ListObjectsV2Command: new (input: { Bucket: string; Prefix: string; ContinuationToken?: string }) => Command;
  DeleteObjectsCommand: new (input: { Bucket: string; Delete: { Objects: { Key: string }[] } }) => Command;
}
interface SdkSts {
  STSClient: new (config: object) => { send(command: Command): Promise<{ Credentials?: Record<string, string> }>; destroy(): void };
  AssumeRoleCommand: new (input: { RoleArn: string; RoleSessionName: string; DurationSeconds: number }) => Command;
}
const fromTenantStorage = createRequire(new URL('../packages/tenant-storage/package.json', import.meta.url));
const s3 = fromTenantStorage('@aws-sdk/client-s3') as SdkS3;
const sts = fromTenantStorage('@aws-sdk/client-sts') as SdkSts;

const { values: args } = parseArgs({
  options: {
    objects: { type: 'string', default: '24' },
    'object-mib': { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '4' },
    'worker-log': { type: 'string' },
    'worker-cpu-prof': { type: 'string' },
    'warm-round': { type: 'boolean', default: false },
  },
});
const OBJECTS = Number(args.objects);
const OBJECT_BYTES = Math.round(Number(args['object-mib']) * MIB);
const CONCURRENCY = Number(args.concurrency);
const WORKER_LOG = args['worker-log'];
const WORKER_CPU_PROF = args['worker-cpu-prof'];
const WARM_ROUND = args['warm-round'];

async function forEach<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

const env = loadLocalEnv();
const admin = new LocalStackAdmin(env);
await admin.waitUntilReady(10_000);
migrateBenchDatabase();
const prisma = createPrismaClient(BENCH_DATABASE_URL);
const scratch = await mkdtemp(join(tmpdir(), 'isola-bench-migration-'));
const studio = await createTestStudio(admin, { label: 'bench-migration' });
const tenant = await createTenant(prisma);
const hostedPrefix = `tenants/bench-migration-${randomBytes(4).toString('hex')}`;
const stsClient = new sts.STSClient({ endpoint: env.endpoint, region: env.region, credentials: env.worker });
const clients: S3Like[] = [];
let worker: ReturnType<typeof startWorker> | undefined;

async function roleClient(arn: string, session: string): Promise<S3Like> {
  const out = await stsClient.send(new sts.AssumeRoleCommand({ RoleArn: arn, RoleSessionName: session, DurationSeconds: 3600 }));
  const c = out.Credentials ?? {};
  const client = new s3.S3Client({
    endpoint: env.endpoint,
    region: env.region,
    forcePathStyle: true,
    credentials: { accessKeyId: c['AccessKeyId'], secretAccessKey: c['SecretAccessKey'], sessionToken: c['SessionToken'] },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  clients.push(client);
  return client;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
async function processCpuSeconds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields === undefined || fields.length < 13) return null;
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

async function deletePrefix(bucket: string, prefix: string): Promise<void> {
  const s3Admin = admin.s3 as unknown as S3Like;
  for (;;) {
    const listed = (await s3Admin.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))) as {
      Contents?: { Key?: string }[];
    };
    const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) return;
    await s3Admin.send(new s3.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}

try {
  const hosted = await createStorageTarget(
    prisma,
    {
      tenantId: tenant.id,
      mode: 'hosted',
      endpoint: env.endpoint,
      region: env.region,
      bucket: env.hosted.bucket,
      prefix: hostedPrefix,
      roleArn: roleArn(env.hosted.roleName),
    },
    { activate: true },
  );
  const isolated = await createStorageTarget(prisma, {
    tenantId: tenant.id,
    mode: 'isolated',
    endpoint: env.endpoint,
    region: env.region,
    bucket: studio.bucket,
    prefix: 'isola',
    roleArn: studio.roleArn,
    status: 'verified',
  });

  // the media: sources only, random bytes, written with the admin identity
  log(`seeding ${OBJECTS} objects of ${(OBJECT_BYTES / MIB).toFixed(1)} MiB in the hosted bucket`);
  const pool = Array.from({ length: 4 }, () => new Uint8Array(randomBytes(OBJECT_BYTES)));
  const keys: string[] = [];
  await forEach(
    Array.from({ length: OBJECTS }, (_, i) => i),
    4,
    async (i) => {
      const id = randomUUID();
      const key = sourceKey(hostedPrefix, id, `clip ${i}.mp4`);
      const body = pool[i % pool.length]!;
      await (admin.s3 as unknown as S3Like).send(
        new s3.PutObjectCommand({ Bucket: env.hosted.bucket, Key: key, Body: body, ContentType: 'video/mp4' }),
      );
      await createMedia(prisma, {
        id,
        storageTargetId: hosted.id,
        objectKey: key,
        filename: `clip ${i}.mp4`,
        contentType: 'video/mp4',
        kind: 'video',
        status: 'ready',
        progress: 100,
        sizeBytes: BigInt(body.length),
      });
      keys.push(key);
    },
  );
  const totalBytes = OBJECTS * OBJECT_BYTES;

  // the raw loop: the same two roles, assumed by the worker's principal, GET then PUT
  const reader = await roleClient(roleArn(env.hosted.roleName), 'isola-bench-raw-read');
  const writer = await roleClient(studio.roleArn, 'isola-bench-raw-write');
  const rawCpuSeconds: number[] = [];
  const rawCopy = async (round: number): Promise<number> => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await forEach(keys, CONCURRENCY, async (key) => {
      const got = (await reader.send(new s3.GetObjectCommand({ Bucket: env.hosted.bucket, Key: key }))) as {
        Body: { transformToByteArray(): Promise<Uint8Array> };
        ContentType?: string;
      };
      const body = await got.Body.transformToByteArray();
      await writer.send(
        new s3.PutObjectCommand({
          Bucket: studio.bucket,
          Key: `raw${round}/${key}`,
          Body: body,
          ContentType: got.ContentType ?? 'video/mp4',
        }),
      );
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    rawCpuSeconds.push((cpu.user + cpu.system) / 1e6);
    await deletePrefix(studio.bucket, `raw${round}/`);
    return totalBytes / seconds;
  };
  log('raw get-and-put loop (before)');
  const rawBefore = await rawCopy(1);

  // the worker: what the API's activation writes (MigrationsService.activate), then the relay takes it
  log('worker migration');
  const queuePrefix = `isola-bench-${randomBytes(4).toString('hex')}`;
  worker = startWorker(env, {
    queuePrefix,
    scratchDir: scratch,
    extraEnv: {
      TRANSCODE_ENABLED: 'false',
      RECONCILER_ENABLED: 'false',
      MIGRATION_RECOVERY_ENABLED: 'false',
      REVOCATION_RECHECK_ENABLED: 'false',
      MIGRATION_CONCURRENCY: String(CONCURRENCY),
      ...(WORKER_LOG === undefined ? {} : { LOG_LEVEL: 'debug' }),
      ...(WORKER_CPU_PROF === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${WORKER_CPU_PROF}` }),
    },
  });
  const workerLines: string[] = [];
  if (WORKER_LOG !== undefined) {
    let partial = '';
    worker.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      workerLines.push(...lines);
    });
  }
  /**
   * What the API's activation writes (MigrationsService.activate): `to` becomes the active target
   * and a migration from `from` is queued through the outbox; then the relay takes it. Waits for it.
   */
  const migrateWithWorker = async (from: { id: string }, to: { id: string }, running: NonNullable<typeof worker>) => {
    const created = await prisma.$transaction(async (tx) => {
      await tx.storageTarget.update({ where: { id: from.id }, data: { status: 'verified' } });
      await tx.storageTarget.update({ where: { id: to.id }, data: { status: 'active' } });
      await tx.tenant.update({ where: { id: tenant.id }, data: { activeTargetId: to.id } });
      const m = await tx.migration.create({ data: { tenantId: tenant.id, fromTargetId: from.id, toTargetId: to.id } });
      await tx.outboxMessage.create({
        data: { jobName: 'Storage.Migrate', payload: { migrationId: m.id }, correlationId: `bench-${m.id.slice(0, 8)}` },
      });
      return m;
    });
    const waitStarted = performance.now();
    // the worker's CPU from when the job was seen running (its start-up is not the copy's cost)
    let cpuBefore: number | null = null;
    let current = await prisma.migration.findUniqueOrThrow({ where: { id: created.id } });
    while (current.status === 'pending' || current.status === 'running') {
      if (current.status === 'running' && cpuBefore === null) cpuBefore = await processCpuSeconds(running.child.pid);
      if (running.child.exitCode !== null) throw new Error(`the worker exited (${running.child.exitCode}):\n${running.tail()}`);
      if (performance.now() - waitStarted > 20 * 60_000) throw new Error(`the migration did not finish in 20 minutes:\n${running.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await prisma.migration.findUniqueOrThrow({ where: { id: created.id } });
    }
    const cpuAfter = await processCpuSeconds(running.child.pid);
    if (current.status !== 'completed') throw new Error(`the migration ended ${current.status}: ${current.lastError}\n${running.tail()}`);
    if (Number(current.copiedBytes) !== totalBytes) throw new Error(`the migration copied ${current.copiedBytes} B of ${totalBytes}`);
    const seconds = (current.finishedAt!.getTime() - current.startedAt!.getTime()) / 1000;
    return {
      migration: created,
      row: current,
      seconds,
      rate: Number(current.copiedBytes) / seconds,
      cpuSeconds: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null,
    };
  };
  const measured = await migrateWithWorker(hosted, isolated, worker);
  // diagnostic: the same media back, through the same (now warm) worker process
  const warm = WARM_ROUND ? await migrateWithWorker(isolated, hosted, worker) : undefined;
  await worker.stop();
  const { migration, row } = measured;
  const { seconds: workerSeconds, rate: workerRate } = measured;
  const switches = await prisma.migrationItem.aggregate({
    where: { migrationId: migration.id, status: 'switched' },
    _min: { switchedAt: true },
    _max: { switchedAt: true },
  });
  const secondsBetween = (from: Date | null | undefined, to: Date | null | undefined) =>
    from && to ? `${((to.getTime() - from.getTime()) / 1000).toFixed(2)} s` : '—';

  log('raw get-and-put loop (after)');
  const rawAfter = await rawCopy(2);
  const rawRate = (rawBefore + rawAfter) / 2;

  const mibps = (rate: number) => `${(rate / MIB).toFixed(1)} MiB/s`;
  console.log(
    `\nMigration benchmark — ${OBJECTS} objects × ${(OBJECT_BYTES / MIB).toFixed(1)} MiB = ${(totalBytes / MIB).toFixed(0)} MiB, ` +
      `hosted bucket → studio bucket on the same RGW, concurrency ${CONCURRENCY}, ${new Date().toISOString()}`,
  );
  console.log('copy | rate | time');
  console.log('---|---|---');
  console.log(`raw GetObject + PutObject loop (before) | ${mibps(rawBefore)} | ${(totalBytes / rawBefore).toFixed(2)} s`);
  console.log(`worker Storage.Migrate job (started → finished) | ${mibps(workerRate)} | ${workerSeconds.toFixed(2)} s`);
  console.log(`raw GetObject + PutObject loop (after) | ${mibps(rawAfter)} | ${(totalBytes / rawAfter).toFixed(2)} s`);
  console.log(`ratio worker ÷ raw (mean of before and after): ${(workerRate / rawRate).toFixed(3)} (target ≥ 0.9)`);
  console.log(
    `worker timeline (not in the ratio's reference, in its time): queued → started ${secondsBetween(migration.createdAt, row.startedAt)}` +
      ` (outbox relay), started → first media switched ${secondsBetween(row.startedAt, switches._min.switchedAt)},` +
      ` last switched → finished ${secondsBetween(switches._max.switchedAt, row.finishedAt)}`,
  );
  const workerCpu = measured.cpuSeconds;
  console.log(
    `CPU seconds used: raw loop ${rawCpuSeconds.map((s) => s.toFixed(1)).join(' / ')} (before / after, this process), ` +
      `worker ${workerCpu === null ? '—' : workerCpu.toFixed(1)} (its process, seen running → finished, polled every 100 ms)`,
  );
  if (warm !== undefined) {
    console.log(
      `diagnostic, not the figure: the same media back (studio bucket → hosted bucket) through the same worker process, ` +
        `warm: ${mibps(warm.rate)}, ${warm.seconds.toFixed(2)} s, ${(warm.rate / rawRate).toFixed(3)} × raw, ` +
        `CPU ${warm.cpuSeconds === null ? '—' : warm.cpuSeconds.toFixed(1)} s`,
    );
  }
  if (WORKER_LOG !== undefined) {
    await writeFile(WORKER_LOG, workerLines.join('\n') + '\n');
    const entries = workerLines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const issued = new Map<string, number>();
    for (const e of entries.filter((e) => e['msg'] === 'credential issued')) {
      const purpose = String(e['purpose']);
      issued.set(purpose, (issued.get(purpose) ?? 0) + 1);
    }
    const media = entries.filter((e) => e['msg'] === 'media migrated');
    const stage = (name: string) => {
      const values = media.map((e) => Number(e[name])).filter((v) => Number.isFinite(v));
      return values.length === 0 ? '—' : `p50 ${quantile(values, 0.5)} ms, p95 ${quantile(values, 0.95)} ms`;
    };
    console.log(
      `worker log (${WORKER_LOG}): AssumeRole calls ${[...issued].map(([p, n]) => `${p} ${n}`).join(', ') || 'none logged'}` +
        ` for ${OBJECTS} media; per media: copy ${stage('copyMs')}, settle (HEAD + switch) ${stage('settleMs')}`,
    );
  }
} finally {
  await worker?.stop();
  for (const client of clients) client.destroy();
  stsClient.destroy();
  await prisma.migration.deleteMany({ where: { tenantId: tenant.id } }).catch(() => undefined);
  await removeTenant(prisma, tenant.id);
  await prisma.$disconnect();
  await deletePrefix(env.hosted.bucket, `${hostedPrefix}/`).catch((error: unknown) => log(`hosted objects not deleted: ${String(error)}`));
  await studio.destroy();
  admin.destroy();
  await rm(scratch, { recursive: true, force: true });
}
