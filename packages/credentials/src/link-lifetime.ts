import type { CredentialPurpose } from './credential-scope.js';

/** Default link lifetime (DECISIONS.md: configured, default 15 min). */
export const DEFAULT_LINK_LIFETIME_SECONDS = 900;
/** Margin kept between a link's expiry and its credential's, for clock skew. */
export const CREDENTIAL_EXPIRY_MARGIN_SECONDS = 60;
/** Default for `needsRefresh` on purposes other than `link`. */
export const DEFAULT_MIN_REMAINING_SECONDS = 300;

/**
 * Seconds a link signed now may live: `min(configured, credential remaining − 1 min)`, whole
 * seconds rounded down. A presigned URL dies with the credential that signed it, so a link never
 * claims more than the credential can honour. Zero or negative means the credential is too close to
 * its expiry to sign anything: refresh first (`needsRefresh` says so well before).
 */
export function linkLifetimeSeconds(now: Date, credentialExpiry: Date, configuredSeconds: number = DEFAULT_LINK_LIFETIME_SECONDS): number {
  const remainingSeconds = (credentialExpiry.getTime() - now.getTime()) / 1000;
  return Math.floor(Math.min(configuredSeconds, remainingSeconds - CREDENTIAL_EXPIRY_MARGIN_SECONDS));
}

/** The `expiresAt` of a link signed now (see `linkLifetimeSeconds`); throws if none can be signed. */
export function linkExpiry(now: Date, credentialExpiry: Date, configuredSeconds: number = DEFAULT_LINK_LIFETIME_SECONDS): Date {
  const seconds = linkLifetimeSeconds(now, credentialExpiry, configuredSeconds);
  if (!(seconds >= 1)) {
    throw new RangeError('The credential expires within a minute: refresh it before signing links');
  }
  return new Date(now.getTime() + seconds * 1000);
}

export interface RefreshOptions {
  /** For purposes other than `link`: the least remaining lifetime worth using (default 5 min). */
  minRemainingSeconds?: number;
}

/**
 * Whether a cached credential must be replaced before use.
 *
 * - `link`: when less than link lifetime + 1 min remains, so every link gets its full configured
 *   lifetime (DECISIONS.md). Pass the configured link lifetime.
 * - other purposes: when less than `minRemainingSeconds` (default 5 min) remains, so whatever is
 *   started or presigned with it (multipart parts, a migration copy) has several minutes left after
 *   the 1-min margin. `linkLifetimeSeconds` is ignored.
 *
 * For `transcode`, pass `effectiveCredentialExpiry` (the grant may end before the STS expiry).
 */
export function needsRefresh(
  now: Date,
  credentialExpiry: Date,
  purpose: CredentialPurpose,
  linkLifetimeSeconds: number = DEFAULT_LINK_LIFETIME_SECONDS,
  options: RefreshOptions = {},
): boolean {
  const remainingMs = credentialExpiry.getTime() - now.getTime();
  const neededSeconds =
    purpose === 'link'
      ? linkLifetimeSeconds + CREDENTIAL_EXPIRY_MARGIN_SECONDS
      : (options.minRemainingSeconds ?? DEFAULT_MIN_REMAINING_SECONDS);
  return !(remainingMs >= neededSeconds * 1000);
}
