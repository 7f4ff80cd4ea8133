import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { PrismaClient } from '@isola/database';
import { loadLocalEnv } from '@isola/local-stack';
import { openMediaStudio, type MediaStudio } from '../../support/media-studio.js';
import { startTestApi } from '../../support/test-app.js';
import { UploadApi } from '../../support/upload-api.js';
import { OwnPostgres } from './own-postgres.js';
import { OwnRedis } from './own-redis.js';

const WORKER_MAIN = fileURLToPath(new URL('../../../../worker/dist/main.js', import.meta.url));

/**
 * A world of the suite's own: its own PostgreSQL and Redis (so the outbox relay, the reconciler and
 * the revocation re-checks can run with short windows without touching other suites' rows), the real
 * API on them, a studio on the shared RGW (its own bucket and role), and real worker processes.
 */
export class FaultWorld {
  readonly logs: string[] = [];
  private readonly workers: ChildProcess[] = [];

  private constructor(
    readonly pg: OwnPostgres,
    readonly redis: OwnRedis,
    readonly app: INestApplication,
    readonly prisma: PrismaClient,
    readonly studio: MediaStudio,
    readonly uploads: UploadApi,
    readonly scratch: string,
    readonly queuePrefix: string,
    /** A tiny JPEG (64×48) made with ffmpeg: an upload that transcodes in a blink. */
    readonly jpeg: Uint8Array<ArrayBuffer>,
  ) {}

  static async open(label: string, apiEnv: Record<string, string> = {}): Promise<FaultWorld> {
    if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: build the worker first`);
    const [pg, redis] = await Promise.all([OwnPostgres.start(), OwnRedis.start()]);
    const queuePrefix = `isola-fault-${label}-${Date.now().toString(36)}`;
    const app = await startTestApi({
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: 'silent',
      ...apiEnv,
    });
    const studio = await openMediaStudio(app, `fault-${label}`);
    const scratch = await mkdtemp(join(tmpdir(), `isola-fault-${label}-`));
    const file = join(tmpdir(), `isola-fault-${label}-${process.pid}.jpg`);
    await promisify(execFile)(process.env['FFMPEG_PATH'] ?? 'ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x48:rate=1',
      '-frames:v',
      '1',
      file,
    ]);
    const jpeg = new Uint8Array(await readFile(file));
    await rm(file, { force: true });
    return new FaultWorld(
      pg,
      redis,
      app,
      app.get(PrismaClient),
      studio,
      new UploadApi(app, studio.member.cookie),
      scratch,
      queuePrefix,
      jpeg,
    );
  }

  /** A worker process (`node dist/main.js`) on this world's PostgreSQL, Redis and scratch, with short windows. */
  startWorker(name: string, overrides: Record<string, string> = {}): ChildProcess {
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    delete env['NODE_OPTIONS'];
    const local = loadLocalEnv();
    const child = spawn(process.execPath, [WORKER_MAIN], {
      env: {
        ...env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: this.pg.url,
        REDIS_URL: this.redis.url,
        QUEUE_PREFIX: this.queuePrefix,
        S3_ENDPOINT: local.endpoint,
        S3_REGION: local.region,
        WORKER_PLATFORM_ACCESS_KEY_ID: local.worker.accessKeyId,
        WORKER_PLATFORM_SECRET_ACCESS_KEY: local.worker.secretAccessKey,
        WORKER_PLATFORM_PRINCIPAL_ARN: `arn:aws:iam:::user/${local.worker.userId}`,
        STARTUP_CHECKS: 'false',
        MIGRATION_RECOVERY_ENABLED: 'false',
        WORKER_SCRATCH_DIR: this.scratch,
        WORKER_JOB_LOCK_MS: '2000',
        WORKER_STALLED_CHECK_MS: '1000',
        WORKER_SHUTDOWN_GRACE_MS: '2000',
        WORKER_CONCURRENCY: '4',
        OUTBOX_POLL_MS: '100',
        RECONCILE_INTERVAL_MS: '1000',
        RECONCILE_STUCK_AFTER_MS: '3000',
        REVOCATION_RECHECK_INTERVAL_MS: '100',
        REVOCATION_RECHECK_BASE_MS: '300',
        REVOCATION_RECHECK_MAX_MS: '1000',
        ...overrides,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.logs.push(`[${name}] ${chunk.toString('utf8').trimEnd()}`);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.workers.push(child);
    return child;
  }

  async stopWorker(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.map((w) => this.stopWorker(w)));
  }

  /** Starts an upload of the tiny JPEG and stores its one part; the caller completes it. */
  async startUpload(filename: string): Promise<{ uploadId: string; key: string; mediaId: string; etag: string }> {
    const created = await this.uploads.create({ filename, type: 'image/jpeg', metadata: { size: this.jpeg.byteLength } });
    if (created.status !== 200) throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
    const up = created.body as { uploadId: string; key: string; mediaId: string };
    return { ...up, etag: await this.uploads.putPart(up, 1, this.jpeg) };
  }

  async complete(up: { uploadId: string; key: string; etag: string }): Promise<{ status: number; body: { code?: string } }> {
    return this.uploads.complete(up.uploadId, { key: up.key }, { parts: [{ PartNumber: 1, ETag: up.etag }] });
  }

  /** Waits until none of `mediaIds` is still on its way (uploaded/transcoding); returns how many still are. */
  async settle(mediaIds: string[], timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = await this.prisma.media.count({ where: { id: { in: mediaIds }, status: { notIn: ['ready', 'failed'] } } });
      if (pending === 0 || Date.now() > deadline) return pending;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async close(): Promise<void> {
    for (const w of this.workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await this.studio.destroy().catch(() => undefined);
    await this.app.close().catch(() => undefined);
    await this.redis.kill();
    await this.pg.destroy();
    await rm(this.scratch, { recursive: true, force: true });
  }
}
