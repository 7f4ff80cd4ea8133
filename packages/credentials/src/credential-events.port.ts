import type { StorageError, StorageTargetRef } from '@isola/tenant-storage';

import type { CredentialRequestContext } from './credential-broker.port.js';
import type { CredentialScope } from './credential-scope.js';

export interface CredentialIssuedEvent {
  target: StorageTargetRef;
  scope: CredentialScope;
  sessionName: string;
  expiresAt: Date;
  /** Keys and prefixes the credential may touch. */
  policyKeys: readonly string[];
  context: CredentialRequestContext;
}

export interface RevocationConfirmedEvent {
  target: StorageTargetRef;
  /** STORAGE_ACCESS_REVOKED, with the STS status in `details`. */
  error: StorageError;
  context: CredentialRequestContext;
}

export interface AccessRestoredEvent {
  target: StorageTargetRef;
  context: CredentialRequestContext;
}

/**
 * Where the broker reports what it did, for audit and observability (the API persists these).
 * Called synchronously on the request path: implementations must not throw and should hand slow
 * work (database writes) off. Events never carry credentials.
 */
export abstract class CredentialEvents {
  /** An AssumeRole succeeded and its credential is being handed out (not for cache hits). */
  abstract onIssued(event: CredentialIssuedEvent): void;
  /**
   * AssumeRole on an isolated target's role was denied: the studio revoked access. Once per
   * revocation (not per failed re-check). Hosted targets never report it (their role is the
   * platform's own: an operator problem, not a studio's decision).
   */
  abstract onRevocationConfirmed(event: RevocationConfirmedEvent): void;
  /** A target in revocation backoff could be assumed again. */
  abstract onAccessRestored(event: AccessRestoredEvent): void;
}

export class NoopCredentialEvents extends CredentialEvents {
  onIssued(): void {}
  onRevocationConfirmed(): void {}
  onAccessRestored(): void {}
}
