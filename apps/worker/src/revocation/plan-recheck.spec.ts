import { StorageError, StorageErrorCode } from '@isola/tenant-storage';
import { planRecheck } from './plan-recheck.js';

const schedule = { baseMs: 60_000, maxMs: 3_600_000 };
const error = (code: StorageErrorCode) => new StorageError(code, 'x', { retryable: false, details: {} });

describe('planRecheck', () => {
  it('restores when AssumeRole succeeded', () => {
    expect(planRecheck(undefined, 4, schedule)).toEqual({ outcome: 'restored' });
  });

  it('counts a denial and doubles the wait after each, up to the cap', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 10].map((n) => planRecheck(error(StorageErrorCode.STORAGE_ACCESS_REVOKED), n, schedule));
    expect(waits.map((v) => v.outcome === 'denied' && [v.attempts, v.nextCheckInMs])).toEqual([
      [1, 120_000],
      [2, 240_000],
      [3, 480_000],
      [4, 960_000],
      [5, 1_920_000],
      [6, 3_600_000],
      [7, 3_600_000],
      [11, 3_600_000],
    ]);
  });

  it.each([StorageErrorCode.STORAGE_UNAVAILABLE, StorageErrorCode.STORAGE_THROTTLED, StorageErrorCode.STORAGE_MISCONFIGURED])(
    'does not count %s as a denial, and keeps the current step',
    (code) => {
      expect(planRecheck(error(code), 2, schedule)).toEqual({ outcome: 'inconclusive', attempts: 2, nextCheckInMs: 240_000 });
    },
  );

  it('never waits less than the base when the cap is set below it', () => {
    expect(planRecheck(error(StorageErrorCode.STORAGE_ACCESS_REVOKED), 0, { baseMs: 50, maxMs: 10 })).toMatchObject({ nextCheckInMs: 50 });
  });
});
