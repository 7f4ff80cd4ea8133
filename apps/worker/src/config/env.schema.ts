import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  booleanFromEnv,
  parseEnv,
  platformEnvShape,
  principalEnvShape,
  requireInProduction,
  resolvePlatformConfig,
  type PlatformConfig,
} from '@isola/contracts';

const positiveInt = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`);

export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

/** The worker's whole configuration, validated once at start-up (see @isola/contracts platform-env). */
const schema = z
  .object({
    ...platformEnvShape,
    ...principalEnvShape('WORKER'),
    WORKER_CONCURRENCY: positiveInt(1, 64).default(1),
    OUTBOX_RELAY_ENABLED: booleanFromEnv.default(true),
    OUTBOX_POLL_MS: positiveInt(20, 60_000).default(250),
    OUTBOX_RELAY_TIMEOUT_MS: positiveInt(100, 60_000).default(5000),
    OUTBOX_BATCH_SIZE: positiveInt(1, 1000).default(100),
    // Bull: how long a job's lock lives without renewal (a crashed worker's job is retried after it),
    // and how often every worker looks for such stalled jobs.
    WORKER_JOB_LOCK_MS: positiveInt(1000, 600_000).default(30_000),
    WORKER_STALLED_CHECK_MS: positiveInt(500, 600_000).default(30_000),
    // On SIGTERM: how long a running job may take to finish before it is aborted and released.
    WORKER_SHUTDOWN_GRACE_MS: positiveInt(0, 3_600_000).default(25_000),
    TRANSCODE_ENABLED: booleanFromEnv.default(true),
    RECONCILER_ENABLED: booleanFromEnv.default(true),
    RECONCILE_INTERVAL_MS: positiveInt(1000, 3_600_000).default(60_000),
    RECONCILE_STUCK_AFTER_MS: positiveInt(1000, 86_400_000).default(600_000),
    WORKER_SCRATCH_DIR: z.string().min(1).optional(),
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    FFPROBE_PATH: z.string().min(1).default('ffprobe'),
    TRANSCODE_X264_PRESET: z.enum(X264_PRESETS).default('veryfast'),
    TRANSCODE_PROGRESS_INTERVAL_MS: positiveInt(50, 60_000).default(1000),
    TRANSCODE_PROBE_TIMEOUT_MS: positiveInt(1000, 600_000).default(60_000),
    TRANSCODE_PART_SIZE_MB: positiveInt(5, 512).default(16),
    // Upper bound of a transcode credential; the grant's expiry bounds it further (DECISIONS.md: ≤ 1 h).
    TRANSCODE_CREDENTIAL_MAX_SECONDS: positiveInt(900, 3600).default(3600),
    // Storage.Migrate (issue 6): media moved in parallel within one migration job, attempts per media
    // before it is given up, multipart part size, how long before blocked media (uploads in flight)
    // are looked at again, how often stalled or due migrations are re-enqueued, and the grace period
    // before the old copies are deleted.
    MIGRATION_ENABLED: booleanFromEnv.default(true),
    MIGRATION_CONCURRENCY: positiveInt(1, 32).default(4),
    MIGRATION_ITEM_ATTEMPTS: positiveInt(1, 20).default(3),
    MIGRATION_PART_SIZE_MB: positiveInt(5, 512).default(16),
    MIGRATION_WAIT_MS: positiveInt(100, 3_600_000).default(30_000),
    MIGRATION_RECOVERY_INTERVAL_MS: positiveInt(500, 3_600_000).default(60_000),
    MIGRATION_RECOVERY_ENABLED: booleanFromEnv.default(true),
    MIGRATION_SOURCE_GRACE_DAYS: z.coerce.number({ error: 'must be a number' }).min(0, 'must be ≥ 0').max(365, 'must be ≤ 365').default(7),
    // Revocation re-checks (issue 6): how often due targets are looked for, the wait before the first
    // re-check (doubling after each denied one, up to the cap), and the transcode grant window given
    // to media re-queued when access comes back.
    REVOCATION_RECHECK_ENABLED: booleanFromEnv.default(true),
    REVOCATION_RECHECK_INTERVAL_MS: positiveInt(10, 3_600_000).default(15_000),
    REVOCATION_RECHECK_BASE_MS: positiveInt(10, 86_400_000).default(60_000),
    REVOCATION_RECHECK_MAX_MS: positiveInt(10, 86_400_000).default(3_600_000),
    REVOCATION_RESUME_GRANT_SECONDS: positiveInt(60, 3600).default(1800),
  })
  .superRefine(requireInProduction('WORKER'));

export interface TranscodeConfig {
  /** `false`: this worker does not take Media.Transcode jobs (relay-only workers, relay tests). */
  enabled: boolean;
  /** Root of the per-process, per-job scratch folders (wiped after every job and at start-up). */
  scratchDir: string;
  ffmpegPath: string;
  ffprobePath: string;
  x264Preset: X264Preset;
  /** Least time between two progress writes (media row and Bull job). */
  progressIntervalMs: number;
  probeTimeoutMs: number;
  /** Multipart part size for large renditions (S3: ≥ 5 MiB except the last part). */
  partSizeBytes: number;
  credentialMaxSeconds: number;
}

export interface RevocationConfig {
  /** `false`: this worker runs no revocation re-check loop. */
  enabled: boolean;
  /** How often revoked targets due for a re-check are looked for. */
  intervalMs: number;
  /** Wait before the first re-check after a revocation; doubles after each denied re-check. */
  baseMs: number;
  /** Cap on that wait. */
  maxMs: number;
  /** Transcode grant window of media re-queued when access comes back. */
  resumeGrantSeconds: number;
}

export interface WorkerConfig extends PlatformConfig {
  concurrency: number;
  /** `enabled: false` runs the worker without the relay loop (tests drive `relayPending()` by hand). */
  outbox: { enabled: boolean; pollMs: number; batchSize: number; relayTimeoutMs: number };
  /** Re-enqueues media stuck in uploaded/transcoding longer than `stuckAfterMs`, every `intervalMs`. */
  reconciler: { enabled: boolean; intervalMs: number; stuckAfterMs: number };
  queue: { lockDurationMs: number; stalledIntervalMs: number; shutdownGraceMs: number };
  transcode: TranscodeConfig;
  revocation: RevocationConfig;
  migration: MigrationConfig;
}

export interface MigrationConfig {
  /** `false`: this worker takes no Storage.Migrate jobs and runs no migration recovery loop. */
  enabled: boolean;
  /** Media copied in parallel within one migration. */
  concurrency: number;
  /** Failed attempts after which a media is given up (`failed`); the rest of the migration carries on. */
  itemAttempts: number;
  /** Multipart part size for objects larger than one part (S3: ≥ 5 MiB except the last part). */
  partSizeBytes: number;
  /** Media still uploading/transcoding on the old target: the job comes back after this long. */
  waitMs: number;
  /**
   * How often migrations left without a live job (dead worker) or due for source deletion are
   * re-enqueued; `recoveryEnabled: false` turns that loop off (tests sharing a database with others).
   */
  recoveryIntervalMs: number;
  recoveryEnabled: boolean;
  /** Old copies are deleted this long after the migration finished (when it deletes sources at all). */
  sourceGraceMs: number;
}

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const e = parseEnv('Isola worker', schema, env);
  return {
    ...resolvePlatformConfig('WORKER', e),
    concurrency: e.WORKER_CONCURRENCY,
    reconciler: { enabled: e.RECONCILER_ENABLED, intervalMs: e.RECONCILE_INTERVAL_MS, stuckAfterMs: e.RECONCILE_STUCK_AFTER_MS },
    outbox: {
      enabled: e.OUTBOX_RELAY_ENABLED,
      pollMs: e.OUTBOX_POLL_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      relayTimeoutMs: e.OUTBOX_RELAY_TIMEOUT_MS,
    },
    queue: {
      lockDurationMs: e.WORKER_JOB_LOCK_MS,
      stalledIntervalMs: e.WORKER_STALLED_CHECK_MS,
      shutdownGraceMs: e.WORKER_SHUTDOWN_GRACE_MS,
    },
    transcode: {
      enabled: e.TRANSCODE_ENABLED,
      scratchDir: e.WORKER_SCRATCH_DIR ?? join(tmpdir(), 'isola-worker'),
      ffmpegPath: e.FFMPEG_PATH,
      ffprobePath: e.FFPROBE_PATH,
      x264Preset: e.TRANSCODE_X264_PRESET,
      progressIntervalMs: e.TRANSCODE_PROGRESS_INTERVAL_MS,
      probeTimeoutMs: e.TRANSCODE_PROBE_TIMEOUT_MS,
      partSizeBytes: e.TRANSCODE_PART_SIZE_MB * 1024 * 1024,
      credentialMaxSeconds: e.TRANSCODE_CREDENTIAL_MAX_SECONDS,
    },
    revocation: {
      enabled: e.REVOCATION_RECHECK_ENABLED,
      intervalMs: e.REVOCATION_RECHECK_INTERVAL_MS,
      baseMs: e.REVOCATION_RECHECK_BASE_MS,
      maxMs: Math.max(e.REVOCATION_RECHECK_BASE_MS, e.REVOCATION_RECHECK_MAX_MS),
      resumeGrantSeconds: e.REVOCATION_RESUME_GRANT_SECONDS,
    },
    migration: {
      enabled: e.MIGRATION_ENABLED,
      concurrency: e.MIGRATION_CONCURRENCY,
      itemAttempts: e.MIGRATION_ITEM_ATTEMPTS,
      partSizeBytes: e.MIGRATION_PART_SIZE_MB * 1024 * 1024,
      waitMs: e.MIGRATION_WAIT_MS,
      recoveryIntervalMs: e.MIGRATION_RECOVERY_INTERVAL_MS,
      recoveryEnabled: e.MIGRATION_RECOVERY_ENABLED,
      sourceGraceMs: Math.round(e.MIGRATION_SOURCE_GRACE_DAYS * 86_400_000),
    },
  };
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
