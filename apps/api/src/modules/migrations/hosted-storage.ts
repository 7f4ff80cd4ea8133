import type { ApiConfig, HostedStorageSettings } from '../../config/env.schema.js';

export type { HostedStorageSettings };

export const HOSTED_STORAGE = Symbol('HOSTED_STORAGE');

/** The local stack's hosted bucket and role (infra/local/local.env: HOSTED_BUCKET, HOSTED_ROLE_NAME). */
const LOCAL_HOSTED = { bucket: 'isola-hosted', roleArn: 'arn:aws:iam:::role/isola-hosted-access', prefixRoot: 'tenants' } as const;

/**
 * Where a studio's hosted target lives when it switches (back) to hosted storage and has no hosted
 * target row yet: HOSTED_BUCKET + HOSTED_ROLE_ARN (the platform's bucket and role), `<root>/<slug>` as
 * prefix. Unset: outside production the local stack's hosted bucket and role, as every other default
 * is the local stack's; in production `null` — switching to hosted then answers 409
 * HOSTED_STORAGE_UNAVAILABLE unless the studio already has a hosted target row.
 */
export function hostedStorageFrom(config: ApiConfig): HostedStorageSettings | null {
  if (config.hostedStorage) return config.hostedStorage;
  if (config.env === 'production') return null;
  return {
    provider: 's3_compatible',
    endpoint: config.storage.s3Endpoint ?? null,
    region: config.storage.region,
    ...LOCAL_HOSTED,
  };
}

/** `tenants/<slug>`: a valid storage prefix (slugs are lower-case letters, digits and hyphens). */
export function hostedPrefix(settings: Pick<HostedStorageSettings, 'prefixRoot'>, tenantSlug: string): string {
  return settings.prefixRoot === '' ? tenantSlug : `${settings.prefixRoot}/${tenantSlug}`;
}
