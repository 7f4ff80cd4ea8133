import type { StorageTargetRef } from './storage-target.js';
import { targetConfigHash } from './target-config-hash.js';

type HashedTarget = StorageTargetRef | Omit<StorageTargetRef, 'id'>;

type ConnectionFields = Omit<StorageTargetRef, 'id'>;

const memo = new WeakMap<HashedTarget, { fields: ConnectionFields; hash: string }>();

/**
 * `targetConfigHash`, remembered per target object: hot paths (a cache lookup per presigned link)
 * hash a target once, not once per call. Every hit re-checks the fields the hash covers, so a
 * target object changed in place is hashed again, never served a stale hash.
 */
export function cachedTargetConfigHash(target: HashedTarget): string {
  const hit = memo.get(target);
  if (hit !== undefined && sameConnection(hit.fields, target)) return hit.hash;
  const hash = targetConfigHash(target);
  const { tenantId, mode, provider, endpoint, region, bucket, prefix, roleArn, externalId } = target;
  memo.set(target, { fields: { tenantId, mode, provider, endpoint, region, bucket, prefix, roleArn, externalId }, hash });
  return hash;
}

function sameConnection(a: ConnectionFields, b: HashedTarget): boolean {
  return (
    a.tenantId === b.tenantId &&
    a.mode === b.mode &&
    a.provider === b.provider &&
    a.endpoint === b.endpoint &&
    a.region === b.region &&
    a.bucket === b.bucket &&
    a.prefix === b.prefix &&
    a.roleArn === b.roleArn &&
    a.externalId === b.externalId
  );
}
