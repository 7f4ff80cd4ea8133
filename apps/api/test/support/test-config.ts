import { randomBytes } from 'node:crypto';
import { loadApiConfig, type ApiConfig } from '../../src/config/env.schema.js';

/**
 * Tests never touch the demo data: their own database (isola_test), their own Redis DB index and a
 * queue prefix unique to the run (DECISIONS.md, "Tests and CI").
 */
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/isola_test';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/9';

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `isola-test-${randomBytes(4).toString('hex')}`,
    ...overrides,
  };
}

export function testApiConfig(overrides: Record<string, string> = {}): ApiConfig {
  return loadApiConfig(testEnv(overrides));
}
