import { statusAfterTest } from './status-after-test.js';

describe('statusAfterTest', () => {
  it('pending ⇄ verified follow the result', () => {
    expect(statusAfterTest('pending', true)).toBe('verified');
    expect(statusAfterTest('pending', false)).toBe('pending');
    expect(statusAfterTest('verified', true)).toBe('verified');
    expect(statusAfterTest('verified', false)).toBe('pending');
  });

  it('never changes an active, revoked or retired target (revocation has its own flow)', () => {
    for (const status of ['active', 'revoked', 'retired'] as const) {
      expect(statusAfterTest(status, true)).toBe(status);
      expect(statusAfterTest(status, false)).toBe(status);
    }
  });
});
