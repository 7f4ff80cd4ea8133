import type { CredentialPurpose, CredentialScope } from './credential-scope.js';

/** STS's minimum DurationSeconds (AWS and RGW alike). */
export const MIN_SESSION_DURATION_SECONDS = 900;
/** STS's maximum; the role's own MaxSessionDuration (default 1 h) may be lower. */
export const MAX_SESSION_DURATION_SECONDS = 43_200;

/**
 * Credential lifetime per purpose, in seconds (config values; DECISIONS.md). For `transcode` it is
 * the maximum: the actual duration follows the grant window.
 */
export type CredentialDurations = Readonly<Record<CredentialPurpose, number>>;

export const DEFAULT_CREDENTIAL_DURATIONS: CredentialDurations = {
  upload: 900,
  transcode: 3600,
  link: 3600,
  migrate: 900,
  delete: 900,
  verify: 900,
};

/**
 * DurationSeconds for AssumeRole.
 *
 * - Every purpose: its configured duration, clamped to [900, 43 200].
 * - `transcode`: the grant's remaining window (whole seconds, rounded down), clamped to
 *   [900, configured maximum]. STS cannot issue less than 900 s, so when the grant has less than
 *   15 minutes left — or has already ended — the credential is still requested for 900 s. That is
 *   safe: the transcode session policy allows its actions only while
 *   `aws:CurrentTime < grantExpiresAt`, so the credential is useless past the grant whatever its
 *   STS expiry (`effectiveCredentialExpiry` gives the instant to treat as its end). Whether to mint
 *   at all for an ended grant is the caller's decision.
 */
export function sessionDurationSeconds(
  scope: CredentialScope,
  now: Date,
  durations: CredentialDurations = DEFAULT_CREDENTIAL_DURATIONS,
): number {
  const configured = clamp(durations[scope.purpose], MIN_SESSION_DURATION_SECONDS, MAX_SESSION_DURATION_SECONDS);
  if (scope.purpose !== 'transcode') return configured;
  const remainingSeconds = Math.floor((scope.grantExpiresAt.getTime() - now.getTime()) / 1000);
  if (Number.isNaN(remainingSeconds)) throw new RangeError('sessionDurationSeconds: invalid grant expiry or clock');
  return clamp(remainingSeconds, MIN_SESSION_DURATION_SECONDS, configured);
}

/**
 * When a credential stops being usable: its STS expiry, or for `transcode` the grant expiry if that
 * comes first (the session policy's `aws:CurrentTime` condition denies everything after it). Caches
 * and `needsRefresh` should use this, not the raw STS expiry.
 */
export function effectiveCredentialExpiry(scope: CredentialScope, credentialExpiry: Date): Date {
  if (scope.purpose === 'transcode' && scope.grantExpiresAt.getTime() < credentialExpiry.getTime()) {
    return new Date(scope.grantExpiresAt.getTime());
  }
  return new Date(credentialExpiry.getTime());
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Credential duration must be a finite number of seconds, got ${value}`);
  return Math.min(Math.max(Math.floor(value), min), Math.max(min, max));
}
