import { StorageErrorCode, revocationBackoff, type StorageError } from '@isola/tenant-storage';

export interface RecheckSchedule {
  /** Wait before the first re-check after a revocation; doubles after each denied re-check. */
  baseMs: number;
  /** Cap on the wait. */
  maxMs: number;
}

/** What one re-check's AssumeRole said about a revoked target. */
export type RecheckVerdict =
  /** The role can be assumed again: restore the target. */
  | { outcome: 'restored' }
  /** Still refused: count the attempt and wait longer. */
  | { outcome: 'denied'; attempts: number; nextCheckInMs: number }
  /** STS throttled, unreachable or answered something else: proves nothing, try again without counting. */
  | { outcome: 'inconclusive'; attempts: number; nextCheckInMs: number };

/**
 * The decision after a re-check, pure: `error` undefined means AssumeRole succeeded. `attempts` is
 * the number of denied re-checks so far; the wait after n denials is `base · 2^n`, capped.
 */
export function planRecheck(error: StorageError | undefined, attempts: number, schedule: RecheckSchedule): RecheckVerdict {
  if (error === undefined) return { outcome: 'restored' };
  const options = { initialMs: schedule.baseMs, maxMs: Math.max(schedule.baseMs, schedule.maxMs) };
  if (error.code === StorageErrorCode.STORAGE_ACCESS_REVOKED) {
    return { outcome: 'denied', attempts: attempts + 1, nextCheckInMs: revocationBackoff(attempts + 1, options) };
  }
  return { outcome: 'inconclusive', attempts, nextCheckInMs: revocationBackoff(attempts, options) };
}
