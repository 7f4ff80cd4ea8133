import { targetConfigHash, type StorageTargetRef } from '@isola/tenant-storage';

/** Why a credential is minted; each purpose has its own session policy and lifetime (DECISIONS.md). */
export type CredentialPurpose = 'upload' | 'transcode' | 'link' | 'migrate' | 'delete' | 'verify';

export const CREDENTIAL_PURPOSES: readonly CredentialPurpose[] = ['upload', 'transcode', 'link', 'migrate', 'delete', 'verify'];

export type MigrateSide = 'read' | 'write';

/** What one credential may touch, per purpose. Every key/id in here comes from Isola, never a request. */
export type CredentialScope =
  /** PutObject + multipart on one media's source key. */
  | { purpose: 'upload'; mediaId: string; sourceKey: string }
  /** GetObject on the source key; write renditions; nothing after `grantExpiresAt`. */
  | { purpose: 'transcode'; mediaId: string; sourceKey: string; grantExpiresAt: Date }
  /** GetObject on the tenant's media prefix, for presigned links (the credential never leaves the server). */
  | { purpose: 'link' }
  /** One side of a migration between targets: read from the old one or write to the new one. */
  | { purpose: 'migrate'; side: MigrateSide; mediaId: string }
  /** DeleteObject on one media's prefix. */
  | { purpose: 'delete'; mediaId: string }
  /** The connection test, confined to the probe prefix. */
  | { purpose: 'verify' };

export type CredentialScopeOf<P extends CredentialPurpose> = Extract<CredentialScope, { purpose: P }>;

/**
 * A stable string naming a scope, for cache keys and logs: `purpose:field:field`, fields in a fixed
 * order and URI-encoded, so distinct scopes never collide (a key containing `:` cannot imitate
 * another field).
 */
export function scopeKey(scope: CredentialScope): string {
  switch (scope.purpose) {
    case 'upload':
      return join('upload', scope.mediaId, scope.sourceKey);
    case 'transcode':
      return join('transcode', scope.mediaId, scope.grantExpiresAt.toISOString(), scope.sourceKey);
    case 'link':
      return 'link';
    case 'migrate':
      return join('migrate', scope.side, scope.mediaId);
    case 'delete':
      return join('delete', scope.mediaId);
    case 'verify':
      return 'verify';
  }
}

/**
 * The broker's cache key: the target's connection hash (so a changed role, ExternalId or bucket
 * never reuses an old credential) plus the scope.
 */
export function credentialCacheKey(target: StorageTargetRef | Omit<StorageTargetRef, 'id'>, scope: CredentialScope): string {
  return `${targetConfigHash(target)}:${scopeKey(scope)}`;
}

function join(purpose: CredentialPurpose, ...fields: string[]): string {
  return [purpose, ...fields.map((field) => encodeURIComponent(field))].join(':');
}
