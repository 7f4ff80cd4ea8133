import { defineConfig } from 'vitest/config';

// Browser end-to-end tests (test/e2e): Debian's Chromium driven by playwright-core against a whole stack that
// the suite starts itself (scripts/dev.sh on its own ports). One file, one stack, tests in order.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e-spec.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', ['./vitest-summary-reporter.ts', { label: '@isola/web e2e' }]],
  },
});
