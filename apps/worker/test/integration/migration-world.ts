import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Queue } from 'bull';
import { JobName, type JobEnvelope } from '@isola/contracts';
import { createPrismaClient, type PrismaClient, type StorageTarget, type Tenant } from '@isola/database';
import { createMedia, createStorageTarget, createTenant } from '@isola/database/seed';
import { createTestStudio, LocalStackAdmin, loadLocalEnv, roleArn, type LocalStackEnv, type TestStudio } from '@isola/local-stack';
import { renditionKey, sourceKey } from '@isola/tenant-storage';
import { DATABASE_URL, REDIS_URL } from './support/studio-harness.js';

/** One object the migration must move: where it is relative to the media's folder, and what it hashes to. */
export interface ExpectedObject {
  mediaId: string;
  /** Path below `<prefix>/media/<id>/`. */
  relative: string;
  size: number;
  sha256: string;
}

export interface SeedOptions {
  media: number;
  /** How many of them get a source bigger than one multipart part (MIGRATION_PART_SIZE_MB=5). */
  bigSources?: number;
  /** How many sources the worker never hashed (sha256Verified null: computed and recorded by the copy). */
  unhashedSources?: number;
}

const RENDITIONS = [
  { kind: 'poster', name: 'poster.jpg', contentType: 'image/jpeg' },
  { kind: 'proxy', name: 'proxy.mp4', contentType: 'video/mp4' },
] as const;

/**
 * A studio moving from hosted storage (the platform's hosted bucket, a unique prefix, the hosted
 * role) to its own bucket (a throwaway test studio: bucket + role): a tenant whose active target is
 * the hosted one, a `verified` isolated target, and media with sources and renditions written with
 * the admin identity, their SHA-256 recorded as the worker records them. Unique names everywhere;
 * `close()` removes the rows, the objects and the studio.
 */
export class MigrationWorld {
  readonly expected: ExpectedObject[] = [];
  readonly mediaIds: string[] = [];
  readonly queuePrefix = `isola-test-${randomBytes(4).toString('hex')}`;

  private constructor(
    readonly env: LocalStackEnv,
    readonly admin: LocalStackAdmin,
    readonly studio: TestStudio,
    readonly prisma: PrismaClient,
    readonly tenant: Tenant,
    readonly hosted: StorageTarget,
    readonly isolated: StorageTarget,
  ) {}

  static async open(label: string): Promise<MigrationWorld> {
    const env = loadLocalEnv();
    const admin = new LocalStackAdmin(env);
    await admin.waitUntilReady(10_000);
    const studio = await createTestStudio(admin, { label });
    const prisma = createPrismaClient(DATABASE_URL);
    const tenant = await createTenant(prisma);
    const hosted = await createStorageTarget(
      prisma,
      {
        tenantId: tenant.id,
        mode: 'hosted',
        endpoint: env.endpoint,
        region: env.region,
        bucket: env.hosted.bucket,
        prefix: `tenants/${label}-${randomBytes(4).toString('hex')}`,
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
    return new MigrationWorld(env, admin, studio, prisma, tenant, hosted, isolated);
  }

  /** Media in hosted storage: each a source and two renditions, as upload + transcode leave them. */
  async seed(options: SeedOptions): Promise<void> {
    const specs = Array.from({ length: options.media }, (_, i) => ({
      id: randomUUID(),
      sourceBytes: i < (options.bigSources ?? 0) ? 11 * 1024 * 1024 + 123 : 2000 + i * 37,
      hashed: i >= options.media - (options.unhashedSources ?? 0) ? false : true,
    }));
    await forEach(specs, 8, async ({ id, sourceBytes, hashed }) => {
      const source = randomBytes(sourceBytes);
      const key = sourceKey(this.hosted.prefix, id, `clip ${id.slice(0, 4)}.mp4`);
      await this.put(key, source, 'video/mp4');
      await createMedia(this.prisma, {
        id,
        storageTargetId: this.hosted.id,
        objectKey: key,
        filename: `clip ${id.slice(0, 4)}.mp4`,
        contentType: 'video/mp4',
        kind: 'video',
        status: 'ready',
        progress: 100,
        sizeBytes: BigInt(source.byteLength),
        sha256Verified: hashed ? sha256(source) : null,
      });
      this.remember(id, key, source);
      for (const rendition of RENDITIONS) {
        const body = randomBytes(500 + (sourceBytes % 700));
        const rkey = renditionKey(this.hosted.prefix, id, rendition.name);
        await this.put(rkey, body, rendition.contentType);
        await this.prisma.rendition.create({
          data: {
            mediaId: id,
            storageTargetId: this.hosted.id,
            kind: rendition.kind,
            objectKey: rkey,
            sizeBytes: BigInt(body.byteLength),
            sha256: sha256(body),
            contentType: rendition.contentType,
          },
        });
        this.remember(id, rkey, body);
      }
      this.mediaIds.push(id);
    });
  }

  /**
   * What the API's activation writes in its transaction (MigrationsService.activate): the isolated
   * target active and the tenant pointing at it, the hosted one back to `verified`, a pending
   * migration (hosted source: its copies are deleted after the grace period) and its outbox row —
   * here already marked relayed, the test putting the job on the queue itself (no relay in tests:
   * the test database is shared with other suites).
   */
  async activateIsolated(): Promise<{ migrationId: string; outboxId: string }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.storageTarget.update({ where: { id: this.hosted.id }, data: { status: 'verified' } });
      await tx.storageTarget.update({ where: { id: this.isolated.id }, data: { status: 'active' } });
      await tx.tenant.update({ where: { id: this.tenant.id }, data: { activeTargetId: this.isolated.id } });
      const migration = await tx.migration.create({
        data: { tenantId: this.tenant.id, fromTargetId: this.hosted.id, toTargetId: this.isolated.id, deleteSources: true },
      });
      const outbox = await tx.outboxMessage.create({
        data: {
          jobName: JobName.StorageMigrate,
          payload: { migrationId: migration.id },
          correlationId: `test-${migration.id.slice(0, 8)}`,
          relayedAt: new Date(),
        },
      });
      return { migrationId: migration.id, outboxId: outbox.id };
    });
  }

  /** The job the relay would add (same id and options). */
  async enqueue(queue: Queue, migrationId: string, outboxId: string): Promise<void> {
    const envelope: JobEnvelope<typeof JobName.StorageMigrate> = {
      outboxId,
      correlationId: `test-${migrationId.slice(0, 8)}`,
      payload: { migrationId },
    };
    await queue.add(JobName.StorageMigrate, envelope, {
      jobId: `migration:${migrationId}`,
      attempts: 5,
      backoff: { type: 'fixed', delay: 500 },
      removeOnComplete: 100,
      removeOnFail: 100,
    });
  }

  /** The worker's environment: this world's queue prefix, the test database and Redis DB, no loops that would touch other suites' rows. */
  workerEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      DATABASE_URL,
      REDIS_URL,
      QUEUE_PREFIX: this.queuePrefix,
      S3_ENDPOINT: this.env.endpoint,
      S3_REGION: this.env.region,
      WORKER_PLATFORM_ACCESS_KEY_ID: this.env.worker.accessKeyId,
      WORKER_PLATFORM_SECRET_ACCESS_KEY: this.env.worker.secretAccessKey,
      WORKER_PLATFORM_PRINCIPAL_ARN: `arn:aws:iam:::user/${this.env.worker.userId}`,
      STARTUP_CHECKS: 'false',
      OUTBOX_RELAY_ENABLED: 'false',
      TRANSCODE_ENABLED: 'false',
      RECONCILER_ENABLED: 'false',
      MIGRATION_RECOVERY_ENABLED: 'false',
      // the test database is shared: the re-check loop would act on other suites' revoked targets
      REVOCATION_RECHECK_ENABLED: 'false',
      MIGRATION_PART_SIZE_MB: '5',
      ...overrides,
    };
  }

  /** Every key under a prefix of a bucket (admin identity). */
  async keys(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.admin.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) keys.push(o.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys.sort();
  }

  /** The keys the isolated target must hold once everything moved. */
  expectedKeys(prefix = this.isolated.prefix): string[] {
    return this.expected.map((o) => `${prefix}/media/${o.mediaId}/${o.relative}`).sort();
  }

  /** Reads every expected object back from the isolated bucket; returns the ones whose bytes do not hash right. */
  async checksumMismatches(): Promise<string[]> {
    const bad: string[] = [];
    await forEach(this.expected, 8, async (o) => {
      const key = `${this.isolated.prefix}/media/${o.mediaId}/${o.relative}`;
      const object = await this.admin.s3.send(new GetObjectCommand({ Bucket: this.studio.bucket, Key: key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      if (bytes.byteLength !== o.size || sha256(bytes) !== o.sha256) bad.push(key);
    });
    return bad;
  }

  async close(): Promise<void> {
    const migrations = await this.prisma.migration.findMany({ where: { tenantId: this.tenant.id }, select: { id: true } }).catch(() => []);
    for (const { id } of migrations) {
      await this.prisma.$executeRaw`DELETE FROM outbox_messages WHERE payload->>'migrationId' = ${id}`.catch(() => undefined);
    }
    await this.prisma.tenant.update({ where: { id: this.tenant.id }, data: { activeTargetId: null } }).catch(() => undefined);
    await this.prisma.tenant.delete({ where: { id: this.tenant.id } }).catch(() => undefined);
    await this.prisma.$disconnect();
    const leftovers = await this.keys(this.env.hosted.bucket, `${this.hosted.prefix}/`).catch(() => []);
    for (let i = 0; i < leftovers.length; i += 500) {
      await this.admin.s3
        .send(
          new DeleteObjectsCommand({
            Bucket: this.env.hosted.bucket,
            Delete: { Objects: leftovers.slice(i, i + 500).map((Key) => ({ Key })), Quiet: true },
          }),
        )
        .catch(() => undefined);
    }
    await this.studio.destroy();
    this.admin.destroy();
  }

  private async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.admin.s3.send(new PutObjectCommand({ Bucket: this.env.hosted.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  private remember(mediaId: string, key: string, body: Buffer): void {
    const folder = `${this.hosted.prefix}/media/${mediaId}/`;
    this.expected.push({ mediaId, relative: key.slice(folder.length), size: body.byteLength, sha256: sha256(body) });
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function forEach<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export { REDIS_URL };
