import { DEFAULT_REVOCATION_BACKOFF, backoffDelay, planRetry, revocationBackoff } from './backoff.js';

const options = (random: number) => ({ baseMs: 100, maxMs: 5_000, jitter: () => random });

describe('backoffDelay', () => {
  it('grows exponentially up to the cap (upper bound, jitter → 1)', () => {
    const delays = Array.from({ length: 10 }, (_, attempt) => backoffDelay(attempt, options(0.999999)));
    expect(delays).toEqual([99, 199, 399, 799, 1599, 3199, 4999, 4999, 4999, 4999]);
  });

  it('draws uniformly in [0, ceiling) (full jitter)', () => {
    expect(backoffDelay(3, options(0))).toBe(0);
    expect(backoffDelay(3, options(0.5))).toBe(400);
    expect(backoffDelay(3, options(1))).toBe(799); // a jitter of exactly 1 stays below the ceiling
    expect(backoffDelay(3, options(-1))).toBe(0);
  });

  it('survives huge attempt numbers', () => {
    expect(backoffDelay(10_000, options(0.5))).toBe(2_500);
  });

  it('rejects invalid attempts', () => {
    expect(() => backoffDelay(-1, options(0.5))).toThrow(RangeError);
    expect(() => backoffDelay(1.5, options(0.5))).toThrow(RangeError);
  });
});

describe('planRetry', () => {
  const policy = { ...options(0.5), maxRetries: 3 };
  it('retries retryable errors with backoff, up to maxRetries', () => {
    expect([0, 1, 2, 3].map((n) => planRetry({ retryable: true }, n, policy))).toEqual([50, 100, 200, undefined]);
  });
  it('never retries non-retryable errors', () => {
    expect(planRetry({ retryable: false }, 0, policy)).toBeUndefined();
  });
});

describe('revocationBackoff', () => {
  it('starts at 30 s and doubles up to 5 minutes', () => {
    expect(Array.from({ length: 7 }, (_, step) => revocationBackoff(step))).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000,
    ]);
    expect(revocationBackoff(1_000)).toBe(300_000);
  });
  it('takes its windows from config', () => {
    expect(revocationBackoff(2, { initialMs: 10, maxMs: 25 })).toBe(25);
    expect(revocationBackoff(0, DEFAULT_REVOCATION_BACKOFF)).toBe(30_000);
    expect(() => revocationBackoff(-1)).toThrow(RangeError);
  });
});
