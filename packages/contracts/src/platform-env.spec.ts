import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LOCAL_STACK_DEFAULTS } from './platform-env.js';

/** The apps' defaults must be exactly the local stack's identities, or `scripts/dev.sh` breaks. */
describe('LOCAL_STACK_DEFAULTS', () => {
  const localEnv = Object.fromEntries(
    readFileSync(fileURLToPath(new URL('../../../infra/local/local.env', import.meta.url)), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('match infra/local/local.env', () => {
    expect(LOCAL_STACK_DEFAULTS.s3Endpoint).toBe(localEnv['S3_ENDPOINT']);
    for (const owner of ['API', 'WORKER'] as const) {
      expect(LOCAL_STACK_DEFAULTS.principals[owner].accessKeyId).toBe(localEnv[`${owner}_PLATFORM_ACCESS_KEY_ID`]);
      expect(LOCAL_STACK_DEFAULTS.principals[owner].secretAccessKey).toBe(localEnv[`${owner}_PLATFORM_SECRET_ACCESS_KEY`]);
    }
  });
});
