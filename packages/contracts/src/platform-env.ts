import { z } from 'zod';
import { booleanFromEnv, urlWithProtocols } from './env.js';

/**
 * The environment the API and the worker share: where PostgreSQL, Redis and the S3/STS endpoints are,
 * and each app's own platform principal (`API_PLATFORM_*` or `WORKER_PLATFORM_*`).
 * Defaults are the local stack's (infra/local/local.env — a unit test keeps them equal) so a fresh
 * checkout runs unconfigured; with NODE_ENV=production nothing falls back to them.
 */
export const LOCAL_STACK_DEFAULTS = {
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/isola',
  redisUrl: 'redis://127.0.0.1:6379/0',
  s3Endpoint: 'http://127.0.0.1:7480',
  principals: {
    API: {
      accessKeyId: 'ISOLAAPIPRINCIPAL001',
      secretAccessKey: 'localApiPrincipalSecret00000000000000000',
      arn: 'arn:aws:iam:::user/isola-api',
    },
    WORKER: {
      accessKeyId: 'ISOLAWORKERPRINCIP01',
      secretAccessKey: 'localWorkerPrincipalSecret0000000000000',
      arn: 'arn:aws:iam:::user/isola-worker',
    },
  },
} as const;

export type PrincipalOwner = keyof typeof LOCAL_STACK_DEFAULTS.principals;

export const platformEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: urlWithProtocols(['postgresql:', 'postgres:'], 'PostgreSQL').optional(),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'Redis').optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,40}$/, 'must be 1-40 of a-z 0-9 : _ -')
    .default('isola'),
  S3_ENDPOINT: urlWithProtocols(['http:', 'https:'], 'HTTP(S)').optional(),
  STS_ENDPOINT: urlWithProtocols(['http:', 'https:'], 'HTTP(S)').optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1')
    .default('us-east-1'),
  S3_FORCE_PATH_STYLE: booleanFromEnv.default(true),
  STARTUP_CHECKS: booleanFromEnv.default(true),
};

export const principalEnvShape = <P extends PrincipalOwner>(owner: P) =>
  ({
    [`${owner}_PLATFORM_ACCESS_KEY_ID`]: z.string().min(16, 'must be an access key id (16+ characters)').optional(),
    [`${owner}_PLATFORM_SECRET_ACCESS_KEY`]: z.string().min(20, 'must be a secret access key (20+ characters)').optional(),
    [`${owner}_PLATFORM_PRINCIPAL_ARN`]: z.string().startsWith('arn:', 'must be an ARN').optional(),
  }) as Record<`${P}_PLATFORM_${'ACCESS_KEY_ID' | 'SECRET_ACCESS_KEY' | 'PRINCIPAL_ARN'}`, z.ZodOptional<z.ZodString>>;

type PlatformEnv = z.infer<z.ZodObject<typeof platformEnvShape>>;

/** Production must name every connection and secret: adds an issue per missing one. */
export function requireInProduction(owner: PrincipalOwner) {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (env['NODE_ENV'] !== 'production') return;
    const keys = [
      'DATABASE_URL',
      'REDIS_URL',
      ...['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'PRINCIPAL_ARN'].map((k) => `${owner}_PLATFORM_${k}`),
    ];
    for (const key of keys) {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when NODE_ENV=production' });
    }
  };
}

export interface StorageEndpoints {
  /** Undefined means the provider's own endpoints (AWS). */
  s3Endpoint: string | undefined;
  stsEndpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
}

export interface PlatformPrincipal {
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

export interface PlatformConfig {
  env: PlatformEnv['NODE_ENV'];
  logLevel: PlatformEnv['LOG_LEVEL'];
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  startupChecks: boolean;
  storage: StorageEndpoints;
  platformPrincipal: PlatformPrincipal;
}

/** Resolves the shared part of a parsed environment, applying local-stack defaults outside production. */
export function resolvePlatformConfig(owner: PrincipalOwner, e: PlatformEnv & Record<string, unknown>): PlatformConfig {
  const local = e.NODE_ENV !== 'production';
  const principal = LOCAL_STACK_DEFAULTS.principals[owner];
  const s3Endpoint = e.S3_ENDPOINT ?? (local ? LOCAL_STACK_DEFAULTS.s3Endpoint : undefined);
  const str = (key: string, fallback: string) => (e[key] as string | undefined) ?? fallback;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL ?? LOCAL_STACK_DEFAULTS.databaseUrl,
    redisUrl: e.REDIS_URL ?? LOCAL_STACK_DEFAULTS.redisUrl,
    queuePrefix: e.QUEUE_PREFIX,
    startupChecks: e.STARTUP_CHECKS,
    storage: { s3Endpoint, stsEndpoint: e.STS_ENDPOINT ?? s3Endpoint, region: e.S3_REGION, forcePathStyle: e.S3_FORCE_PATH_STYLE },
    platformPrincipal: {
      accessKeyId: str(`${owner}_PLATFORM_ACCESS_KEY_ID`, principal.accessKeyId),
      secretAccessKey: str(`${owner}_PLATFORM_SECRET_ACCESS_KEY`, principal.secretAccessKey),
      arn: str(`${owner}_PLATFORM_PRINCIPAL_ARN`, principal.arn),
    },
  };
}
