import { isDatabaseUnavailable } from './database-unavailable.js';

describe('isDatabaseUnavailable', () => {
  it('recognises unreachable or restarting databases anywhere in the cause chain', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'P1001' }))).toBe(true);
    expect(
      isDatabaseUnavailable(Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }) })),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('terminating connection due to administrator command'))).toBe(true);
    expect(isDatabaseUnavailable({ name: 'PrismaClientInitializationError', message: 'init' })).toBe(true);
    expect(isDatabaseUnavailable({ kind: 'DatabaseNotReachable' })).toBe(true);
    // how Prisma 7 reports a server that is starting again (measured in the fault suite)
    expect(
      isDatabaseUnavailable(new Error('Database error. Code: `57P03`. Message: `the database system is not yet accepting connections`')),
    ).toBe(true);
  });

  it('leaves query errors and programming errors alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('unique'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('invalid byte sequence'), { code: '22021' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
