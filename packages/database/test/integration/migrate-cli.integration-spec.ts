// scripts/migrate.mjs and scripts/ensure-db.mjs explain configuration problems in one line.
import { databaseExists, dropDatabase, runScript, scratchDatabaseName, TEST_DATABASE_URL } from './support/scratch-database.js';
import { withDatabase } from '../../src/database-url.js';

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('migrate.mjs errors', () => {
  it('says DATABASE_URL is missing', async () => {
    const run = await runScript('migrate.mjs', ['deploy'], { DATABASE_URL: undefined });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^error: DATABASE_URL is not set/);
  });

  it('names host:port when PostgreSQL is unreachable', async () => {
    const run = await runScript('migrate.mjs', ['status'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/isola' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'error: PostgreSQL at 127.0.0.1:1 refused the connection (ECONNREFUSED): start PostgreSQL or fix DATABASE_URL',
    );
    noStackTrace(run.stderr);
  });

  it('says the database is missing, and --create-db creates it', async () => {
    const name = scratchDatabaseName('createdb');
    const url = withDatabase(TEST_DATABASE_URL, name);
    try {
      const missing = await runScript('migrate.mjs', ['status'], { DATABASE_URL: url });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`has no database "${name}" (3D000)`);

      const created = await runScript('migrate.mjs', ['deploy', '--create-db'], { DATABASE_URL: url });
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain(`Created database ${name}`);
      expect(created.stdout).toMatch(/Applied \d+ migration/);
    } finally {
      await dropDatabase(name);
    }
  });

  it('rejects unknown commands with the usage line', async () => {
    const run = await runScript('migrate.mjs', ['upgrade'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown command "upgrade"');
    expect(run.stderr).toContain('usage: migrate.mjs deploy');
  });
});

describe('ensure-db.mjs', () => {
  it('creates the database named in DATABASE_URL once', async () => {
    const name = scratchDatabaseName('ensure');
    const url = withDatabase(TEST_DATABASE_URL, name);
    try {
      const first = await runScript('ensure-db.mjs', [], { DATABASE_URL: url });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`Created database ${name}`);
      expect(await databaseExists(name)).toBe(true);

      const second = await runScript('ensure-db.mjs', [], { DATABASE_URL: url });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`Database ${name} at 127.0.0.1:5432 already exists.`);
    } finally {
      await dropDatabase(name);
    }
  });

  it('names host:port when PostgreSQL is unreachable', async () => {
    const run = await runScript('ensure-db.mjs', [], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/isola' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PostgreSQL at 127.0.0.1:1 refused the connection (ECONNREFUSED)');
    noStackTrace(run.stderr);
  });
});
