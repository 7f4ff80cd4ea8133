import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { JobName, type JobEnvelope } from '@isola/contracts';
import { createPrismaClient, type Media, type MediaKind, type PrismaClient, type StorageTarget, type Tenant } from '@isola/database';
import { createMedia, createStorageTarget, createTenant } from '@isola/database/seed';
import { createTestStudio, LocalStackAdmin, loadLocalEnv, type LocalStackEnv, type TestStudio } from '@isola/local-stack';
import { renditionsPrefix, sourceKey } from '@isola/tenant-storage';
import type { Job, JobOptions, Queue } from 'bull';

export const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/isola_test';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/9';

/** What the outbox relay sets on Media.Transcode jobs (see outbox-relay.service.ts), with a short backoff. */
export const TRANSCODE_JOB_OPTIONS: JobOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 500 },
  removeOnComplete: 100,
  removeOnFail: 100,
};

export interface SourceSpec {
  /** Local file to upload as the source. */
  file: string;
  filename: string;
  contentType: string;
  kind: MediaKind;
  /** The client's SHA-256: `true` = the right one, a string = that one, absent = none sent. */
  sha256?: true | string;
  /** Grant window from now (default 30 min); `null` = no grant at all. */
  grantMs?: number | null;
}

/**
 * One throwaway studio on the local RGW (its own bucket and role), a tenant with an isolated target
 * pointing at it, and helpers to put sources, media rows and grants the way the API would. Unique
 * names everywhere: suites never touch the demo tenants or each other.
 */
export class StudioHarness {
  readonly outboxIds: string[] = [];

  private constructor(
    readonly env: LocalStackEnv,
    readonly admin: LocalStackAdmin,
    readonly studio: TestStudio,
    readonly prisma: PrismaClient,
    readonly tenant: Tenant,
    readonly target: StorageTarget,
    readonly scratchRoot: string,
    readonly queuePrefix: string,
  ) {}

  static async open(label: string, prefix = 'studio'): Promise<StudioHarness> {
    const env = loadLocalEnv();
    const admin = new LocalStackAdmin(env);
    await admin.waitUntilReady(10_000);
    const studio = await createTestStudio(admin, { label });
    const prisma = createPrismaClient(DATABASE_URL);
    const tenant = await createTenant(prisma);
    const target = await createStorageTarget(
      prisma,
      {
        tenantId: tenant.id,
        mode: 'isolated',
        endpoint: env.endpoint,
        region: env.region,
        bucket: studio.bucket,
        prefix,
        roleArn: studio.roleArn,
      },
      { activate: true },
    );
    const scratchRoot = await mkdtemp(join(tmpdir(), `isola-scratch-${label}-`));
    return new StudioHarness(env, admin, studio, prisma, tenant, target, scratchRoot, `isola-test-${randomBytes(4).toString('hex')}`);
  }

  /** The worker's environment for this studio: its own queue prefix, scratch root and Redis DB. */
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
      OUTBOX_RELAY_ENABLED: 'false',
      // the test database is shared: these loops would act on other suites' rows
      MIGRATION_RECOVERY_ENABLED: 'false',
      REVOCATION_RECHECK_ENABLED: 'false',
      STARTUP_CHECKS: 'false',
      WORKER_SCRATCH_DIR: this.scratchRoot,
      TRANSCODE_X264_PRESET: 'ultrafast',
      TRANSCODE_PROGRESS_INTERVAL_MS: '100',
      ...overrides,
    };
  }

  /** Puts the source with the admin identity (as a browser upload would have), then the media row and its grant. */
  async createSource(spec: SourceSpec): Promise<Media> {
    const id = randomUUID();
    const body = await readFile(spec.file);
    const key = sourceKey(this.target.prefix, id, spec.filename);
    await this.admin.s3.send(new PutObjectCommand({ Bucket: this.studio.bucket, Key: key, Body: body, ContentType: spec.contentType }));
    const sha256 = spec.sha256 === true ? createHash('sha256').update(body).digest('hex') : spec.sha256;
    const media = await createMedia(this.prisma, {
      id,
      storageTargetId: this.target.id,
      objectKey: key,
      filename: spec.filename,
      contentType: spec.contentType,
      kind: spec.kind,
      sizeBytes: BigInt(body.byteLength),
      status: 'uploaded',
      ...(sha256 === undefined ? {} : { sha256 }),
    });
    if (spec.grantMs !== null) await this.grant(id, spec.grantMs ?? 30 * 60_000);
    return media;
  }

  /** A transcode grant, as the API writes one when an upload completes (or on a re-process). */
  async grant(mediaId: string, windowMs: number, issuedBy = 'system'): Promise<{ id: string; expiresAt: Date }> {
    return this.prisma.transcodeGrant.create({
      data: { mediaId, tenantId: this.tenant.id, expiresAt: new Date(Date.now() + windowMs), issuedBy, reason: 'test' },
      select: { id: true, expiresAt: true },
    });
  }

  /** An outbox row as the relay leaves it (relayed), so the job can mark it completed. */
  async outboxRow(mediaId: string, relayed = true): Promise<string> {
    const row = await this.prisma.outboxMessage.create({
      data: {
        jobName: JobName.MediaTranscode,
        payload: { mediaId },
        correlationId: `test-${mediaId.slice(0, 8)}`,
        ...(relayed ? { relayedAt: new Date() } : {}),
      },
    });
    this.outboxIds.push(row.id);
    return row.id;
  }

  /** Adds the job the relay would add, straight to the queue. */
  async enqueue(queue: Queue, mediaId: string): Promise<Job<JobEnvelope<typeof JobName.MediaTranscode>>> {
    const outboxId = await this.outboxRow(mediaId);
    const envelope: JobEnvelope<typeof JobName.MediaTranscode> = {
      outboxId,
      correlationId: `test-${mediaId.slice(0, 8)}`,
      payload: { mediaId },
    };
    return queue.add(JobName.MediaTranscode, envelope, { ...TRANSCODE_JOB_OPTIONS, jobId: `media:${mediaId}` });
  }

  /** Every object under the media's renditions prefix, with its size. */
  async renditionObjects(mediaId: string): Promise<Record<string, number>> {
    const prefix = renditionsPrefix(this.target.prefix, mediaId);
    const page = await this.admin.s3.send(new ListObjectsV2Command({ Bucket: this.studio.bucket, Prefix: prefix }));
    return Object.fromEntries((page.Contents ?? []).map((o) => [o.Key!.slice(prefix.length), o.Size ?? 0]));
  }

  /** Reads an object back from the studio's bucket into a local file (for ffprobe). */
  async download(key: string, dir: string): Promise<string> {
    const object = await this.admin.s3.send(new GetObjectCommand({ Bucket: this.studio.bucket, Key: key }));
    const file = join(dir, `${randomBytes(4).toString('hex')}-${key.split('/').pop()}`);
    await writeFile(file, await object.Body!.transformToByteArray());
    return file;
  }

  async close(): Promise<void> {
    await this.prisma.outboxMessage.deleteMany({ where: { id: { in: this.outboxIds } } }).catch(() => undefined);
    await this.prisma.tenant.update({ where: { id: this.tenant.id }, data: { activeTargetId: null } }).catch(() => undefined);
    await this.prisma.tenant.delete({ where: { id: this.tenant.id } }).catch(() => undefined);
    await this.prisma.$disconnect();
    await this.studio.destroy();
    this.admin.destroy();
    await rm(this.scratchRoot, { recursive: true, force: true });
  }
}

/** Polls until `probe` returns something truthy. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
