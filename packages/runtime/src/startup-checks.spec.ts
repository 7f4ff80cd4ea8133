import { runStartupChecks, StartupCheckError } from './startup-checks.js';

describe('runStartupChecks', () => {
  it('passes when every dependency is up', async () => {
    await expect(runStartupChecks('api', [['db', async () => ({ status: 'up', latencyMs: 1 })]])).resolves.toBeUndefined();
  });

  it('lists every failing dependency with its own sentence', async () => {
    const run = runStartupChecks('Isola API', [
      ['db', async () => ({ status: 'down', latencyMs: 1, error: 'PostgreSQL at 127.0.0.1:1 refused' })],
      ['redis', async () => ({ status: 'up', latencyMs: 1 })],
      ['s3', async () => ({ status: 'down', latencyMs: 1 })],
    ]);
    await expect(run).rejects.toBeInstanceOf(StartupCheckError);
    await expect(run).rejects.toThrow('Isola API cannot start:\n  - PostgreSQL at 127.0.0.1:1 refused\n  - s3 is down');
  });
});
