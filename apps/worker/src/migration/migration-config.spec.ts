import { ConfigError } from '@isola/contracts';
import { loadWorkerConfig } from '../config/env.schema.js';

describe('the migration settings of the worker', () => {
  it('defaults: 4 media at a time, 3 attempts, 16 MiB parts, 7 days of grace', () => {
    expect(loadWorkerConfig({ NODE_ENV: 'test' }).migration).toEqual({
      enabled: true,
      concurrency: 4,
      itemAttempts: 3,
      partSizeBytes: 16 * 1024 * 1024,
      waitMs: 30_000,
      recoveryIntervalMs: 60_000,
      recoveryEnabled: true,
      sourceGraceMs: 7 * 86_400_000,
    });
  });

  it('reads every setting; the grace period may be shortened (tests) down to nothing', () => {
    const config = loadWorkerConfig({
      NODE_ENV: 'test',
      MIGRATION_ENABLED: 'false',
      MIGRATION_CONCURRENCY: '2',
      MIGRATION_ITEM_ATTEMPTS: '5',
      MIGRATION_PART_SIZE_MB: '5',
      MIGRATION_WAIT_MS: '250',
      MIGRATION_RECOVERY_INTERVAL_MS: '1000',
      MIGRATION_RECOVERY_ENABLED: 'false',
      MIGRATION_SOURCE_GRACE_DAYS: '0',
    });
    expect(config.migration).toEqual({
      enabled: false,
      concurrency: 2,
      itemAttempts: 5,
      partSizeBytes: 5 * 1024 * 1024,
      waitMs: 250,
      recoveryIntervalMs: 1000,
      recoveryEnabled: false,
      sourceGraceMs: 0,
    });
  });

  it('refuses parts S3 would refuse and a negative grace period', () => {
    const load = () => loadWorkerConfig({ NODE_ENV: 'test', MIGRATION_PART_SIZE_MB: '4', MIGRATION_SOURCE_GRACE_DAYS: '-1' });
    expect(load).toThrow(ConfigError);
    for (const key of ['MIGRATION_PART_SIZE_MB', 'MIGRATION_SOURCE_GRACE_DAYS']) expect(load).toThrow(key);
  });
});
