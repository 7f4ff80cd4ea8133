// Migration benchmark (issue 8, benchmark 5): the copy rate (bytes/s) of the worker's Storage.Migrate
// job — a real worker process (apps/worker/dist/main.js) moving a studio's media from hosted storage
// (the local stack's hosted bucket and role) to the studio's own bucket, relayed from the outbox as in
// production — ÷ a raw S3 get-and-put loop over the same objects: role credentials of the same two
// roles assumed by the worker's platform principal, GetObject then PutObject, the same concurrency
// (MIGRATION_CONCURRENCY). The raw loop runs before and after the worker; its figure is the mean.
//
//   cd /work/main && . scripts/bootstrap.sh && pnpm turbo run build --filter=@isola/worker... --filter=@isola/local-stack
//   node bench/migration.ts [--objects 24] [--object-mib 12] [--concurrency 4]
//
// The worker's rate is copied_bytes ÷ (finished_at − started_at) of the migration row (planning,
// SHA-256 verification, source tagging and pointer switches included). Objects are smaller than the
// worker's part size (16 MiB), so both sides copy each with one GET and one PUT. Memstore holds
// everything in RAM: keep objects × object-mib × 3 well under 4 GiB. Own database (isola_bench),
// Redis DB 8, a fresh queue prefix; transcoding, the reconciler and the recovery loops are off.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { LocalStackAdmin, createTestStudio, loadLocalEnv, roleArn } from '../infra/local/dist/index.js';
import { createPrismaClient } from '../packages/database/dist/index.js';
import { createMedia, createStorageTarget, createTenant } from '../packages/database/dist/seed/index.js';
import { sourceKey } from '../packages/tenant-storage/dist/index.js';
import { BENCH_DATABASE_URL, MIB, log, migrateBenchDatabase, removeTenant } from './lib/isola-api.ts';
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
  },
});
const OBJECTS = Number(args.objects);
const OBJECT_BYTES = Math.round(Number(args['object-mib']) * MIB);
const CONCURRENCY = Number(args.concurrency);

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
  const rawCopy = async (round: number): Promise<number> => {
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
    },
  });
  const migration = await prisma.$transaction(async (tx) => {
    await tx.storageTarget.update({ where: { id: hosted.id }, data: { status: 'verified' } });
    await tx.storageTarget.update({ where: { id: isolated.id }, data: { status: 'active' } });
    await tx.tenant.update({ where: { id: tenant.id }, data: { activeTargetId: isolated.id } });
    const created = await tx.migration.create({ data: { tenantId: tenant.id, fromTargetId: hosted.id, toTargetId: isolated.id } });
    await tx.outboxMessage.create({
      data: { jobName: 'Storage.Migrate', payload: { migrationId: created.id }, correlationId: `bench-${created.id.slice(0, 8)}` },
    });
    return created;
  });
  const waitStarted = performance.now();
  let row = await prisma.migration.findUniqueOrThrow({ where: { id: migration.id } });
  while (row.status === 'pending' || row.status === 'running') {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited (${worker.child.exitCode}):\n${worker.tail()}`);
    if (performance.now() - waitStarted > 20 * 60_000) throw new Error(`the migration did not finish in 20 minutes:\n${worker.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    row = await prisma.migration.findUniqueOrThrow({ where: { id: migration.id } });
  }
  await worker.stop();
  if (row.status !== 'completed') throw new Error(`the migration ended ${row.status}: ${row.lastError}\n${worker.tail()}`);
  if (Number(row.copiedBytes) !== totalBytes) throw new Error(`the migration copied ${row.copiedBytes} B of ${totalBytes}`);
  const workerSeconds = (row.finishedAt!.getTime() - row.startedAt!.getTime()) / 1000;
  const workerRate = Number(row.copiedBytes) / workerSeconds;

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
