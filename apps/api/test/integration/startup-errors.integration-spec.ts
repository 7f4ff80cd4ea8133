import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/test-config.js';

/**
 * The built API (`node dist/main.js`) is started with broken configuration: it must exit 1 with a list
 * naming what to fix, and no stack trace. The machine's services are never stopped: unreachable
 * servers are simulated by pointing the config at closed ports.
 */
const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startApi(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('API start-up with bad configuration', () => {
  it('lists every invalid variable at once', () => {
    const { status, stderr } = startApi(testEnv({ API_PORT: 'abc', S3_ENDPOINT: 'not a url', DATABASE_URL: 'mysql://x' }));
    expect(status).toBe(1);
    expect(stderr).toContain('Isola API: invalid configuration:');
    expect(stderr).toContain('API_PORT: must be a port number (got "abc")');
    expect(stderr).toContain('S3_ENDPOINT: must be a HTTP(S) URL');
    expect(stderr).toContain('DATABASE_URL: must be a PostgreSQL URL');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('requires explicit connections and keys in production', () => {
    const { status, stderr } = startApi({ NODE_ENV: 'production' });
    expect(status).toBe(1);
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'API_PLATFORM_ACCESS_KEY_ID', 'API_PLATFORM_SECRET_ACCESS_KEY']) {
      expect(stderr).toContain(`${key}: is required when NODE_ENV=production`);
    }
  });

  it('names PostgreSQL, Redis and RGW when they cannot be reached', async () => {
    const [pg, redis, rgw] = [await closedPort(), await closedPort(), await closedPort()];
    const { status, stderr } = startApi(
      testEnv({
        API_PORT: String(await closedPort()),
        DATABASE_URL: `postgresql://postgres@127.0.0.1:${pg}/isola_test`,
        REDIS_URL: `redis://127.0.0.1:${redis}/9`,
        S3_ENDPOINT: `http://127.0.0.1:${rgw}`,
      }),
    );
    expect(status).toBe(1);
    expect(stderr).toContain('Isola API cannot start:');
    expect(stderr).toContain(`PostgreSQL at 127.0.0.1:${pg}`);
    expect(stderr).toContain('fix DATABASE_URL');
    expect(stderr).toContain(`Redis at 127.0.0.1:${redis} refused the connection (ECONNREFUSED): start Redis or fix REDIS_URL`);
    expect(stderr).toContain(`S3 endpoint http://127.0.0.1:${rgw} refused the connection (ECONNREFUSED)`);
    expect(stderr).toContain('fix STS_ENDPOINT');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
