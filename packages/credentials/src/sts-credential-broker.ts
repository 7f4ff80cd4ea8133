import type { Clock } from '@isola/runtime';
import {
  DEFAULT_REVOCATION_BACKOFF,
  StorageError,
  StorageErrorCode,
  cachedTargetConfigHash,
  isStorageError,
  planRetry,
  revocationBackoff,
  type RetryPolicy,
  type RevocationBackoffOptions,
  type StorageTargetRef,
} from '@isola/tenant-storage';

import { buildSessionPolicy } from './build-session-policy.js';
import { CredentialBroker, type CredentialRequestContext, type ScopedCredentials } from './credential-broker.port.js';
import type { CredentialEvents } from './credential-events.port.js';
import { scopeKey, type CredentialScope } from './credential-scope.js';
import {
  CREDENTIAL_EXPIRY_MARGIN_SECONDS,
  DEFAULT_LINK_LIFETIME_SECONDS,
  DEFAULT_MIN_REMAINING_SECONDS,
  needsRefresh,
} from './link-lifetime.js';
import { policyKeys } from './policy-keys.js';
import { buildRoleSessionName } from './role-session-name.js';
import {
  DEFAULT_CREDENTIAL_DURATIONS,
  effectiveCredentialExpiry,
  sessionDurationSeconds,
  type CredentialDurations,
} from './session-duration.js';
import type { StsGateway } from './sts-gateway.port.js';

export interface StsCredentialBrokerOptions {
  /** Credential lifetime per purpose (seconds); missing purposes keep the defaults. */
  durations?: Partial<CredentialDurations>;
  /** The configured link lifetime: link credentials are refreshed when less than this + 1 min remains. */
  linkLifetimeSeconds?: number;
  /** Other purposes: refreshed when less than this remains (default 5 min). */
  minRemainingSeconds?: number;
  /** Retries of AssumeRole on throttling and 5xx (never on a denial). */
  retry?: Partial<RetryPolicy>;
  /** Re-check schedule of a target whose role could not be assumed (default 30 s doubling to 5 min). */
  revocationBackoff?: RevocationBackoffOptions;
  /**
   * The STS endpoint for a target. Default: the target's own endpoint for S3-compatible services
   * (Ceph RGW serves STS there), the SDK's regional endpoint for AWS.
   */
  stsEndpoint?: (target: StorageTargetRef) => string | undefined;
  /** How retries wait (tests pass an instant one). */
  sleep?: (ms: number) => Promise<void>;
  /** Cached credentials kept; expired ones go first, then the least recently issued. Default 10,000. */
  maxCacheEntries?: number;
}

export const DEFAULT_STS_RETRY: RetryPolicy = { maxRetries: 3, baseMs: 200, maxMs: 2_000, jitter: Math.random };

/** Purposes never served from the cache: the connection test exists to exercise AssumeRole. */
const UNCACHED_PURPOSES = new Set<CredentialScope['purpose']>(['verify']);

interface CacheEntry {
  credentials: ScopedCredentials;
  targetKey: string;
}

/** What the broker knows about one target (by config hash: a changed role or ExternalId starts afresh). */
interface TargetState {
  targetId: string;
  /** Bumped whenever the target's credentials are dropped: results of older AssumeRole calls are not cached. */
  generation: number;
  revoked?: RevokedState;
}

interface RevokedState {
  /** Re-check number: the wait before the next one is `revocationBackoff(step)`. */
  step: number;
  /** No AssumeRole before this instant (epoch ms). */
  retryAt: number;
  /** One re-check AssumeRole is in flight: everything else fails fast. */
  probing: boolean;
}

/**
 * The credential broker: AssumeRole on the target's role (ExternalId always sent) with a session
 * policy for one purpose, cached per (target config, scope) and shared by concurrent callers.
 *
 * - Cache: a credential is reused until `needsRefresh` says otherwise (links: less than the link
 *   lifetime + 1 min left, so every link gets its full lifetime; others: 5 min). Concurrent requests
 *   for the same key share one in-flight AssumeRole. If a refresh fails transiently (throttled,
 *   unavailable) while the cached credential still has over a minute left, that one is served.
 * - Retries: throttling and 5xx only, with full-jitter backoff (`planRetry`); a denial never.
 * - Revocation: an AssumeRole denied (403) or naming a missing role (404) drops every cached
 *   credential of the target, reports the revocation (isolated targets only) and puts the target in
 *   backoff: then at most one AssumeRole per target per step (`revocationBackoff`: 30 s doubling to
 *   5 min), every other request failing fast with STORAGE_ACCESS_REVOKED without calling STS. A
 *   success ends the backoff.
 */
export class StsCredentialBroker extends CredentialBroker {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<ScopedCredentials>>();
  private readonly targets = new Map<string, TargetState>();
  private readonly durations: CredentialDurations;
  private readonly retry: RetryPolicy;
  private readonly backoff: RevocationBackoffOptions;
  private readonly linkLifetimeSeconds: number;
  private readonly minRemainingSeconds: number;
  private readonly maxCacheEntries: number;
  private readonly stsEndpoint: (target: StorageTargetRef) => string | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly gateway: StsGateway,
    private readonly clock: Clock,
    private readonly events: CredentialEvents,
    options: StsCredentialBrokerOptions = {},
  ) {
    super();
    this.durations = { ...DEFAULT_CREDENTIAL_DURATIONS, ...options.durations };
    this.retry = { ...DEFAULT_STS_RETRY, ...options.retry };
    this.backoff = options.revocationBackoff ?? DEFAULT_REVOCATION_BACKOFF;
    this.linkLifetimeSeconds = options.linkLifetimeSeconds ?? DEFAULT_LINK_LIFETIME_SECONDS;
    this.minRemainingSeconds = options.minRemainingSeconds ?? DEFAULT_MIN_REMAINING_SECONDS;
    this.maxCacheEntries = options.maxCacheEntries ?? 10_000;
    this.stsEndpoint = options.stsEndpoint ?? defaultStsEndpoint;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  getCredentials(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext = {}): Promise<ScopedCredentials> {
    if (UNCACHED_PURPOSES.has(scope.purpose)) return this.issue(target, scope, context, undefined);

    // = credentialCacheKey(target, scope), with the target's hash remembered per target object
    const key = `${cachedTargetConfigHash(target)}:${scopeKey(scope)}`;
    const entry = this.cache.get(key);
    if (entry !== undefined && !this.isStale(entry.credentials, this.clock.now())) return Promise.resolve(entry.credentials);

    const shared = this.inFlight.get(key);
    if (shared !== undefined) return shared;
    const issuing = this.issue(target, scope, context, key).finally(() => {
      if (this.inFlight.get(key) === issuing) this.inFlight.delete(key);
    });
    this.inFlight.set(key, issuing);
    return issuing;
  }

  async confirmDenial(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext = {}): Promise<StorageError> {
    const targetKey = cachedTargetConfigHash(target);
    const state = this.stateOf(targetKey, target);
    const refused = this.admit(state, target);
    if (refused !== undefined) return refused;
    const generation = state.generation;
    try {
      await this.assume(target, scope, context); // fresh and discarded: only its outcome matters
    } catch (error) {
      if (!isStorageError(error)) throw error;
      this.recordFailure(state, target, error, context, generation);
      return error;
    }
    this.recordSuccess(state, target, context, generation);
    return new StorageError(
      StorageErrorCode.PERMISSION_DENIED,
      "The storage service denied a request although the role can still be assumed: the request was outside the credential's scope or the role's permissions.",
      { retryable: false, details: { service: 's3', targetId: target.id, bucket: target.bucket } },
    );
  }

  invalidate(targetId: string): void {
    for (const [targetKey, state] of this.targets) {
      if (state.targetId !== targetId) continue;
      this.dropCredentials(targetKey, state);
      delete state.revoked;
    }
  }

  // ------------------------------------------------------------------------------------------ internals

  private async issue(
    target: StorageTargetRef,
    scope: CredentialScope,
    context: CredentialRequestContext,
    cacheKey: string | undefined,
  ): Promise<ScopedCredentials> {
    const targetKey = cachedTargetConfigHash(target);
    const state = this.stateOf(targetKey, target);
    const refused = this.admit(state, target);
    if (refused !== undefined) throw refused;
    const generation = state.generation;

    let credentials: ScopedCredentials;
    try {
      credentials = await this.assume(target, scope, context);
    } catch (error) {
      if (!isStorageError(error)) throw error;
      this.recordFailure(state, target, error, context, generation);
      const stale = cacheKey === undefined ? undefined : this.cache.get(cacheKey)?.credentials;
      if (error.retryable && stale !== undefined && this.stillUsable(stale)) return stale;
      throw error;
    }

    // An older call finishing after the target's credentials were dropped (revoked, invalidated)
    // proves nothing about now: hand its result to its caller, but neither cache it nor end a backoff.
    if (state.generation === generation) {
      this.recordSuccess(state, target, context, generation);
      if (cacheKey !== undefined) this.remember(cacheKey, targetKey, credentials);
    }
    this.events.onIssued({
      target,
      scope,
      sessionName: credentials.sessionName,
      expiresAt: credentials.expiresAt,
      policyKeys: credentials.policyKeys,
      context,
    });
    return credentials;
  }

  /** One AssumeRole (with retries on throttling and 5xx) for `scope`. */
  private async assume(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext): Promise<ScopedCredentials> {
    const now = this.clock.now();
    const policy = buildSessionPolicy(target, scope);
    const sessionName = buildRoleSessionName({
      purpose: scope.purpose,
      tenantId: target.tenantId,
      tenantSlug: context.tenantSlug,
      id: sessionSubject(target, scope, context),
    });
    const endpoint = this.stsEndpoint(target);
    const input = {
      roleArn: target.roleArn,
      externalId: target.externalId,
      sessionName,
      durationSeconds: sessionDurationSeconds(scope, now, this.durations),
      policyJson: policy.json,
      region: target.region,
      ...(endpoint === undefined ? {} : { endpoint }),
      targetId: target.id,
    };

    for (let retries = 0; ; retries += 1) {
      try {
        const raw = await this.gateway.assumeRole(input);
        return Object.freeze({
          accessKeyId: raw.accessKeyId,
          secretAccessKey: raw.secretAccessKey,
          sessionToken: raw.sessionToken,
          expiresAt: effectiveCredentialExpiry(scope, raw.expiresAt),
          sessionName,
          purpose: scope.purpose,
          scope,
          policyKeys: Object.freeze(policyKeys(policy.document)),
        });
      } catch (error) {
        const delay = isStorageError(error) ? planRetry(error, retries, this.retry) : undefined;
        if (delay === undefined) throw error;
        await this.sleep(delay);
      }
    }
  }

  /** Undefined when an AssumeRole may go ahead; else the error to fail fast with. Claims the re-check slot. */
  private admit(state: TargetState, target: StorageTargetRef): StorageError | undefined {
    const revoked = state.revoked;
    if (revoked === undefined) return undefined;
    if (revoked.probing || this.clock.now().getTime() < revoked.retryAt) {
      return new StorageError(
        StorageErrorCode.STORAGE_ACCESS_REVOKED,
        `Isola can no longer assume this storage target's role; it checks again ${
          revoked.probing ? 'right now' : `at ${new Date(revoked.retryAt).toISOString()}`
        }.`,
        { retryable: false, details: { service: 'sts', operation: 'AssumeRole', targetId: target.id } },
      );
    }
    revoked.probing = true;
    return undefined;
  }

  private recordFailure(
    state: TargetState,
    target: StorageTargetRef,
    error: StorageError,
    context: CredentialRequestContext,
    generation: number,
  ): void {
    // Another call already recorded what happened to the target meanwhile (or it was invalidated).
    if (state.generation !== generation) return;
    const now = this.clock.now().getTime();
    const revoked = state.revoked;
    if (error.code === StorageErrorCode.STORAGE_ACCESS_REVOKED) {
      this.dropCredentials(cachedTargetConfigHash(target), state);
      if (revoked === undefined) {
        state.revoked = { step: 0, retryAt: now + revocationBackoff(0, this.backoff), probing: false };
        if (target.mode === 'isolated') this.events.onRevocationConfirmed({ target, error, context });
      } else {
        revoked.step += 1;
        revoked.retryAt = now + revocationBackoff(revoked.step, this.backoff);
        revoked.probing = false;
      }
    } else if (revoked !== undefined) {
      // The re-check proved nothing (STS throttled or down): try again after the same step.
      revoked.probing = false;
      revoked.retryAt = now + revocationBackoff(revoked.step, this.backoff);
    }
  }

  private recordSuccess(state: TargetState, target: StorageTargetRef, context: CredentialRequestContext, generation: number): void {
    if (state.generation !== generation || state.revoked === undefined) return;
    delete state.revoked;
    this.events.onAccessRestored({ target, context });
  }

  private stateOf(targetKey: string, target: StorageTargetRef): TargetState {
    let state = this.targets.get(targetKey);
    if (state === undefined) {
      state = { targetId: target.id, generation: 0 };
      this.targets.set(targetKey, state);
    }
    return state;
  }

  private dropCredentials(targetKey: string, state: TargetState): void {
    state.generation += 1;
    for (const [key, entry] of this.cache) {
      if (entry.targetKey === targetKey) this.cache.delete(key);
    }
  }

  private remember(key: string, targetKey: string, credentials: ScopedCredentials): void {
    this.cache.delete(key);
    this.cache.set(key, { credentials, targetKey });
    if (this.cache.size <= this.maxCacheEntries) return;
    const now = this.clock.now().getTime();
    for (const [candidate, entry] of this.cache) {
      if (entry.credentials.expiresAt.getTime() <= now) this.cache.delete(candidate);
    }
    for (const candidate of this.cache.keys()) {
      if (this.cache.size <= this.maxCacheEntries) break;
      this.cache.delete(candidate);
    }
  }

  private isStale(credentials: ScopedCredentials, now: Date): boolean {
    return needsRefresh(now, credentials.expiresAt, credentials.purpose, this.linkLifetimeSeconds, {
      minRemainingSeconds: this.minRemainingSeconds,
    });
  }

  private stillUsable(credentials: ScopedCredentials): boolean {
    return credentials.expiresAt.getTime() - this.clock.now().getTime() > CREDENTIAL_EXPIRY_MARGIN_SECONDS * 1000;
  }
}

function defaultStsEndpoint(target: StorageTargetRef): string | undefined {
  return target.provider === 's3_compatible' ? target.endpoint : undefined;
}

/** The id part of the RoleSessionName: what the credential serves. */
function sessionSubject(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext): string {
  switch (scope.purpose) {
    case 'upload':
    case 'transcode':
    case 'migrate':
    case 'delete':
      return scope.mediaId;
    case 'link':
      return target.id;
    case 'verify':
      return context.correlationId ?? target.id;
  }
}
