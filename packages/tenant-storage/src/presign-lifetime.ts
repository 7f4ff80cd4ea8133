/** Margin kept between a presigned URL's expiry and its credential's (clock skew between hosts). */
export const PRESIGN_EXPIRY_MARGIN_SECONDS = 60;

/** Lifetime of a presigned request when the caller does not choose one. */
export const DEFAULT_PRESIGN_SECONDS = 900;

/** SigV4's limit on a presigned URL (7 days). */
export const MAX_PRESIGN_SECONDS = 604_800;

/**
 * Seconds a URL signed now may live: the requested lifetime, clamped so it never outlives the
 * credential that signs it (`credential remaining − margin`), whole seconds rounded down. A presigned
 * URL dies with its credential anyway; clamping makes `expiresAt` tell the truth. Throws when nothing
 * can be signed (the credential is within the margin of its end): refresh it first.
 */
export function presignExpiresInSeconds(
  now: Date,
  credentialExpiresAt: Date,
  requestedSeconds: number = DEFAULT_PRESIGN_SECONDS,
  marginSeconds: number = PRESIGN_EXPIRY_MARGIN_SECONDS,
): number {
  if (!(requestedSeconds >= 1)) throw new RangeError(`A presigned URL must live at least 1 s, got ${requestedSeconds}`);
  const remainingSeconds = (credentialExpiresAt.getTime() - now.getTime()) / 1000 - marginSeconds;
  const seconds = Math.floor(Math.min(requestedSeconds, remainingSeconds, MAX_PRESIGN_SECONDS));
  if (!(seconds >= 1)) {
    throw new RangeError('The credential expires too soon to sign anything: refresh it before presigning');
  }
  return seconds;
}
