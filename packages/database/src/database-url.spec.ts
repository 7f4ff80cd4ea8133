import {
  describeConnectionError,
  formatHostPort,
  InvalidDatabaseUrlError,
  parseDatabaseUrl,
  redactDatabaseUrl,
  withDatabase,
} from './database-url.js';

const target = { host: '127.0.0.1', port: 5999, user: 'postgres', database: 'isola' };
const sysError = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });

describe('parseDatabaseUrl', () => {
  it('splits a full URL and decodes credentials', () => {
    expect(parseDatabaseUrl('postgresql://isola:p%40ss%2Fw@db.internal:6543/isola_test?schema=app')).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'isola',
      password: 'p@ss/w',
      database: 'isola_test',
      schema: 'app',
    });
  });

  it('defaults port 5432, user postgres, empty password, no schema; accepts postgres://', () => {
    expect(parseDatabaseUrl('postgres://127.0.0.1/isola')).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: '',
      database: 'isola',
      schema: undefined,
    });
  });

  it('unwraps IPv6 hosts and honours ?host= (unix socket directory)', () => {
    expect(parseDatabaseUrl('postgresql://postgres@[::1]:5433/x').host).toBe('::1');
    expect(parseDatabaseUrl('postgresql:///x?host=/var/run/postgresql').host).toBe('/var/run/postgresql');
  });

  it.each([
    ['not a url', /not a valid URL/],
    ['mysql://root@127.0.0.1/x', /must start with postgresql:\/\/ or postgres:\/\/ \(got mysql:\/\/\)/],
    ['postgresql://postgres@127.0.0.1:5432', /names no database/],
    ['postgresql://postgres@127.0.0.1:5432/', /names no database/],
  ])('rejects %s', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(InvalidDatabaseUrlError);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });

  it('never echoes the password of a malformed URL', () => {
    expect(() => parseDatabaseUrl('mysql://root:s3cret@h/x')).not.toThrow(/s3cret/);
  });
});

describe('formatHostPort', () => {
  it('writes host:port, brackets IPv6, names unix sockets', () => {
    expect(formatHostPort({ host: '127.0.0.1', port: 5432 })).toBe('127.0.0.1:5432');
    expect(formatHostPort({ host: '::1', port: 5432 })).toBe('[::1]:5432');
    expect(formatHostPort({ host: '/run/postgresql', port: 5432 })).toBe('/run/postgresql (unix socket, port 5432)');
  });
});

describe('redactDatabaseUrl / withDatabase', () => {
  it('hides the password only', () => {
    expect(redactDatabaseUrl('postgresql://u:secret@h:1/db')).toBe('postgresql://u:***@h:1/db');
    expect(redactDatabaseUrl('postgresql://u@h:1/db')).toBe('postgresql://u@h:1/db');
    expect(redactDatabaseUrl('::')).toBe('<invalid DATABASE_URL>');
  });

  it('swaps the database, keeping credentials and parameters', () => {
    expect(withDatabase('postgresql://u:p@h:1/isola?schema=app', 'postgres')).toBe('postgresql://u:p@h:1/postgres?schema=app');
  });
});

describe('describeConnectionError', () => {
  it('names host:port and the remedy for a refused connection', () => {
    expect(describeConnectionError(sysError('ECONNREFUSED'), target)).toBe(
      'PostgreSQL at 127.0.0.1:5999 refused the connection (ECONNREFUSED): start PostgreSQL or fix DATABASE_URL',
    );
  });

  it('reads the code inside an AggregateError (localhost resolving to ::1 and 127.0.0.1)', () => {
    const err = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')], '');
    expect(describeConnectionError(err, { ...target, host: 'localhost' })).toBe(
      'PostgreSQL at localhost:5999 refused the connection (ECONNREFUSED): start PostgreSQL or fix DATABASE_URL',
    );
  });

  it.each([
    ['ENOTFOUND', 'host "127.0.0.1" could not be resolved (ENOTFOUND): fix DATABASE_URL'],
    ['EHOSTUNREACH', 'could not be reached (EHOSTUNREACH): start PostgreSQL or fix DATABASE_URL'],
    ['ECONNRESET', 'closed the connection (ECONNRESET)'],
    ['3D000', 'has no database "isola" (3D000): create it (packages/database: pnpm run db:ensure) or fix DATABASE_URL'],
    ['28P01', 'rejected user "postgres" (28P01: connect 28P01): fix the credentials in DATABASE_URL'],
    ['57P03', 'is starting up or shutting down (57P03)'],
  ])('%s', (code, expected) => {
    const text = describeConnectionError(sysError(code), target);
    expect(text.startsWith('PostgreSQL at 127.0.0.1:5999')).toBe(true);
    expect(text).toContain(expected);
  });

  it("explains pg's connection timeout", () => {
    expect(describeConnectionError(new Error('timeout expired'), target)).toBe(
      'PostgreSQL at 127.0.0.1:5999 did not answer in time (timeout expired): start PostgreSQL or fix DATABASE_URL',
    );
  });

  it('falls back to the message and code for anything else', () => {
    expect(describeConnectionError(sysError('XX000', 'boom'), target)).toBe('PostgreSQL at 127.0.0.1:5999: boom (XX000)');
    expect(describeConnectionError('weird', target)).toBe('PostgreSQL at 127.0.0.1:5999: weird');
  });
});
