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
  })
  .superRefine(requireInProduction('WORKER'));

export interface WorkerConfig extends PlatformConfig {
  concurrency: number;
  /** `enabled: false` runs the worker without the relay loop (tests drive `relayPending()` by hand). */
  outbox: { enabled: boolean; pollMs: number; batchSize: number; relayTimeoutMs: number };
}

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const e = parseEnv('Isola worker', schema, env);
  return {
    ...resolvePlatformConfig('WORKER', e),
    concurrency: e.WORKER_CONCURRENCY,
    outbox: {
      enabled: e.OUTBOX_RELAY_ENABLED,
      pollMs: e.OUTBOX_POLL_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      relayTimeoutMs: e.OUTBOX_RELAY_TIMEOUT_MS,
    },
  };
}

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
