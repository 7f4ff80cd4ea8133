import { z } from 'zod';
import {
  LOCAL_STACK_DEFAULTS,
  parseEnv,
  platformEnvShape,
  priceTableSchema,
  type PriceTable,
  portFromEnv,
  principalEnvShape,
  requireInProduction,
  resolvePlatformConfig,
  type PlatformConfig,
} from '@isola/contracts';

/** The API's whole configuration, validated once at start-up (see @isola/contracts platform-env). */
const schema = z
  .object({
    ...platformEnvShape,
    ...principalEnvShape('API'),
    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: portFromEnv.default(3000),
    MAX_UPLOAD_BYTES: z.coerce
      .number({ error: 'must be a number of bytes' })
      .int()
      .min(1)
      .max(5 * 1024 ** 4, 'must be at most 5 TiB (S3’s object limit)')
      .default(5 * 1024 ** 4),
    TRANSCODE_GRANT_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(60).max(3600).default(1800),
    LINK_LIFETIME_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(60).max(3600).default(900),
    SESSION_TTL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(300).max(2_592_000).default(43_200),
    LOGIN_RATE_WINDOW_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(86_400).default(900),
    LOGIN_RATE_PER_ACCOUNT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(10_000).default(10),
    LOGIN_RATE_PER_IP: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100_000).default(100),
    USAGE_PRICE_TABLE: z
      .string()
      .default('{}')
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object (see priceTableSchema in @isola/contracts)' });
          return z.NEVER;
        }
      })
      .pipe(priceTableSchema),
    WEB_ORIGINS: z
      .string()
      .default('http://localhost:5173,http://127.0.0.1:5173')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    /** Principals every studio role must trust (the setup kit's trust policy): the API's and the worker's. */
    PLATFORM_TRUSTED_PRINCIPAL_ARNS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().startsWith('arn:', 'must be a comma-separated list of ARNs')).min(1, 'must list at least one ARN'))
      .optional(),
    /** Hosted storage, for a studio switching (back) to hosted: the platform's bucket and role. */
    HOSTED_BUCKET: z.string().min(3).max(63).optional(),
    HOSTED_ROLE_ARN: z.string().startsWith('arn:', 'must be a role ARN').optional(),
    HOSTED_PREFIX_ROOT: z.string().max(64).default('tenants'),
    /** A revocation the API confirmed is first re-checked by the worker this much later. */
    REVOCATION_FIRST_RECHECK_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int()
      .min(1)
      .max(86_400_000)
      .default(60_000),
  })
  .superRefine(requireInProduction('API'));

export interface ApiConfig extends PlatformConfig {
  host: string;
  port: number;
  webOrigins: string[];
  sessionTtlSeconds: number;
  uploads: { defaultMaxUploadBytes: number; transcodeGrantSeconds: number };
  /** Default presigned-link lifetime (a tenant may set its own; never longer than the credential). */
  linkLifetimeSeconds: number;
  loginRateLimit: { windowSeconds: number; perAccount: number; perIp: number };
  /** Prices for the usage page's cost estimate. */
  prices: PriceTable;
  /**
   * The API's and the worker's principal ARNs: what studio roles trust (setup kit). Outside production
   * the local stack's by default; in production empty unless set (setup kits then answer 503).
   */
  platformTrustedPrincipalArns: string[];
  /** Where new hosted targets live; null = unset (outside production the local stack's is used). */
  hostedStorage: HostedStorageSettings | null;
  revocation: { firstRecheckMs: number };
}

export interface HostedStorageSettings {
  provider: 'aws' | 's3_compatible';
  endpoint: string | null;
  region: string;
  bucket: string;
  roleArn: string;
  /** Parent of every hosted studio's prefix (`tenants` → `tenants/<slug>`). */
  prefixRoot: string;
}

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const e = parseEnv('Isola API', schema, env);
  const platform = resolvePlatformConfig('API', e);
  const hostedStorage: HostedStorageSettings | null =
    e.HOSTED_BUCKET && e.HOSTED_ROLE_ARN
      ? {
          provider: platform.storage.s3Endpoint ? 's3_compatible' : 'aws',
          endpoint: platform.storage.s3Endpoint ?? null,
          region: platform.storage.region,
          bucket: e.HOSTED_BUCKET,
          roleArn: e.HOSTED_ROLE_ARN,
          prefixRoot: e.HOSTED_PREFIX_ROOT,
        }
      : null;
  return {
    ...platform,
    host: e.API_HOST,
    port: e.API_PORT,
    webOrigins: e.WEB_ORIGINS,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    linkLifetimeSeconds: e.LINK_LIFETIME_SECONDS,
    uploads: { defaultMaxUploadBytes: e.MAX_UPLOAD_BYTES, transcodeGrantSeconds: e.TRANSCODE_GRANT_SECONDS },
    loginRateLimit: { windowSeconds: e.LOGIN_RATE_WINDOW_SECONDS, perAccount: e.LOGIN_RATE_PER_ACCOUNT, perIp: e.LOGIN_RATE_PER_IP },
    prices: e.USAGE_PRICE_TABLE,
    platformTrustedPrincipalArns:
      e.PLATFORM_TRUSTED_PRINCIPAL_ARNS ??
      (e.NODE_ENV === 'production' ? [] : [LOCAL_STACK_DEFAULTS.principals.API.arn, LOCAL_STACK_DEFAULTS.principals.WORKER.arn]),
    hostedStorage,
    revocation: { firstRecheckMs: e.REVOCATION_FIRST_RECHECK_MS },
  };
}

/** DI token: `@Inject(API_CONFIG) config: ApiConfig`. */
export const API_CONFIG = Symbol('API_CONFIG');
