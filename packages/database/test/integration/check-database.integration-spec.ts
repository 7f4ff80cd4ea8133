import { checkDatabase } from '../../src/check-database.js';
import { withDatabase } from '../../src/database-url.js';
import { TEST_DATABASE_URL } from './support/scratch-database.js';

describe('checkDatabase', () => {
  it('is ok against the running PostgreSQL', async () => {
    await expect(checkDatabase(withDatabase(TEST_DATABASE_URL, 'postgres'))).resolves.toEqual({ ok: true });
  });

  it('names host:port when nothing listens there', async () => {
    await expect(checkDatabase('postgresql://postgres@127.0.0.1:1/isola')).resolves.toEqual({
      ok: false,
      error: 'PostgreSQL at 127.0.0.1:1 refused the connection (ECONNREFUSED): start PostgreSQL or fix DATABASE_URL',
    });
  });

  it('says which database is missing', async () => {
    const result = await checkDatabase(withDatabase(TEST_DATABASE_URL, 'isola_test_does_not_exist'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('has no database "isola_test_does_not_exist" (3D000)');
  });

  it('reports a malformed URL instead of throwing', async () => {
    await expect(checkDatabase('mysql://x/y')).resolves.toEqual({
      ok: false,
      error: 'DATABASE_URL must start with postgresql:// or postgres:// (got mysql://)',
    });
  });
});
