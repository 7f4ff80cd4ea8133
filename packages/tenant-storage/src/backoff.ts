/**
 * Retry timing, pure: randomness comes in as a function so tests (and callers) decide it.
 */

export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** Cap on any delay. */
  maxMs: number;
  /** Returns a number in [0, 1), e.g. `Math.random`; values outside are clamped. */
  jitter: () => number;
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay in [0, min(maxMs, baseMs · 2^attempt)).
 * `attempt` is 0 for the first retry, 1 for the second…
 */
export function backoffDelay(attempt: number, { baseMs, maxMs, jitter }: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`backoffDelay: attempt must be an integer ≥ 0, got ${attempt}`);
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new RangeError('backoffDelay: baseMs and maxMs must be ≥ 0');
  // 2 ** attempt overflows to Infinity for huge attempts, which Math.min turns into maxMs.
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  const random = Math.min(Math.max(jitter(), 0), 1);
  return Math.min(Math.floor(random * ceiling), Math.max(Math.ceil(ceiling) - 1, 0));
}

export interface RetryPolicy extends BackoffOptions {
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
}

/**
 * The delay before retrying after a failure, or `undefined` to give up: only retryable errors
 * (throttled/unavailable — never a denial, a missing object or a misconfiguration) are retried,
 * at most `maxRetries` times. `retriesSoFar` is 0 after the first attempt failed.
 */
export function planRetry(error: { retryable: boolean }, retriesSoFar: number, policy: RetryPolicy): number | undefined {
  if (!error.retryable || retriesSoFar >= policy.maxRetries) return undefined;
  return backoffDelay(retriesSoFar, policy);
}

export interface RevocationBackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Re-check a suspected revocation after 30 s, then 1, 2, 4 minutes, then every 5 minutes. */
export const DEFAULT_REVOCATION_BACKOFF: RevocationBackoffOptions = { initialMs: 30_000, maxMs: 300_000 };

/**
 * Delay before revocation re-check number `step` (0-based): `initialMs · 2^step`, capped at `maxMs`.
 * Deterministic (no jitter): re-checks are per target, one job each, so they do not stampede.
 */
export function revocationBackoff(step: number, options: RevocationBackoffOptions = DEFAULT_REVOCATION_BACKOFF): number {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`revocationBackoff: step must be an integer ≥ 0, got ${step}`);
  return Math.min(options.maxMs, options.initialMs * 2 ** step);
}
