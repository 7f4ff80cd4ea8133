import { createHash } from 'node:crypto';

import type { StorageTargetRef } from './storage-target.js';

/**
 * A stable SHA-256 (hex) of everything that decides how Isola connects to a target: the tenant, mode,
 * provider, endpoint, region, bucket, prefix, role ARN and ExternalId — not the row id. Per-target
 * clients and cached credentials are keyed by it, so any change to the connection (a new role, a
 * regenerated ExternalId) misses the cache instead of reusing a client or credential built for the
 * old one. The tenant id is included so two tenants can never share a cache entry.
 */
export function targetConfigHash(target: StorageTargetRef | Omit<StorageTargetRef, 'id'>): string {
  // A fixed-order array, not an object: the serialisation cannot depend on property order.
  const canonical = JSON.stringify([
    'isola-target-v1',
    target.tenantId,
    target.mode,
    target.provider,
    target.endpoint || null, // '' and undefined both mean "no endpoint"
    target.region,
    target.bucket,
    target.prefix,
    target.roleArn,
    target.externalId,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
