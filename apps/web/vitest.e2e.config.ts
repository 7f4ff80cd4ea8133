import { defineConfig } from 'vitest/config';

// Browser end-to-end tests (test/e2e): Debian's Chromium driven by playwright-core against a whole stack that
// the suite starts itself once (support/global-setup.ts: scripts/dev.sh on its own ports). Files run one after
// the other on that stack, tests in order.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e-spec.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', ['./vitest-summary-reporter.ts', { label: '@isola/web e2e' }]],
  },
});
