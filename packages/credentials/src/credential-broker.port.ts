import type { StorageError, StorageTargetRef, TemporaryCredentials } from '@isola/tenant-storage';

import type { CredentialPurpose, CredentialScope } from './credential-scope.js';

/** Who asks, for the role session name, logs and audit. Never affects what is granted. */
export interface CredentialRequestContext {
  /** Preferred in the RoleSessionName the studio sees in CloudTrail. */
  tenantSlug?: string;
  /** The user or job on whose behalf (`user:<id>`, `job:<name>`), for audit. */
  actor?: string;
  correlationId?: string;
}

/**
 * A temporary credential narrowed to one purpose. Secret: never log it or send it to a browser
 * (only presigned URLs leave the servers). Shared between callers while cached: do not mutate.
 */
export interface ScopedCredentials extends TemporaryCredentials {
  /** The RoleSessionName: what the studio's CloudTrail shows for every request made with it. */
  readonly sessionName: string;
  readonly purpose: CredentialPurpose;
  readonly scope: CredentialScope;
  /** The object keys and prefixes (`…/media/*`) its session policy allows, for audit. */
  readonly policyKeys: readonly string[];
}

/**
 * Hands out short-lived, purpose-scoped credentials for a storage target — the only way Isola
 * touches a studio's bucket (hosted tenants go the same way, through the platform's hosted role).
 */
export abstract class CredentialBroker {
  /**
   * A credential for `scope` on `target`, cached and reused while it has enough life left. Throws a
   * `StorageError`: STORAGE_ACCESS_REVOKED when the role cannot be assumed (or is in its re-check
   * backoff), STORAGE_THROTTLED / STORAGE_UNAVAILABLE when STS failed, STORAGE_MISCONFIGURED…
   */
  abstract getCredentials(target: StorageTargetRef, scope: CredentialScope, context?: CredentialRequestContext): Promise<ScopedCredentials>;

  /**
   * Call when S3 answered 403 to a request made with this broker's credentials (the error's
   * recovery is `confirm-with-assume-role`). A fresh AssumeRole, bypassing the cache, tells why:
   * - it fails with a denial → the studio revoked access: resolves to STORAGE_ACCESS_REVOKED (the
   *   revocation is recorded and reported);
   * - it succeeds → the request was outside what the credential or the role allows (an Isola bug or
   *   a role too narrow): resolves to PERMISSION_DENIED, no revocation;
   * - STS itself failed → resolves to that error (THROTTLED/UNAVAILABLE): nothing confirmed.
   * Resolves to the error to report; rejects only on programming errors.
   */
  abstract confirmDenial(target: StorageTargetRef, scope: CredentialScope, context?: CredentialRequestContext): Promise<StorageError>;

  /**
   * Forgets everything about the target: cached credentials and any revocation backoff (call after
   * its configuration changed or a tenant admin re-verified it).
   */
  abstract invalidate(targetId: string): void;
}
