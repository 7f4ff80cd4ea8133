// Shared Jest setup: SWC compiles TypeScript (decorators + metadata for Nest), run as ESM.
// Type checking happens in `tsc` (the build and `typecheck`), not here.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swc },
};

/** @param {string} rootDir @param {{ integrationTimeout?: number }} [opts] */
export function jestConfig(rootDir, opts = {}) {
  return {
    rootDir,
    // a global option (Jest ignores it per project): integration suites wait on real servers
    testTimeout: opts.integrationTimeout ?? 60_000,
    reporters: ['default', new URL('./scripts/jest-summary-reporter.mjs', import.meta.url).pathname],
    projects: [
      { ...common, rootDir, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
      {
        ...common,
        rootDir,
        displayName: 'integration',
        testMatch: ['<rootDir>/test/integration/**/*.integration-spec.ts'],
      },
      { ...common, rootDir, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
      // issue 8: authorization matrix, CSRF, headers, secrets, fuzzing, session-policy scope (`test:security`)
      { ...common, rootDir, displayName: 'security', testMatch: ['<rootDir>/test/security/**/*.security-spec.ts'] },
      // issue 8: fault injection (kill -9, own Redis/PostgreSQL restarted, radosgw outage) — `test:faults`, not in CI
      { ...common, rootDir, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'] },
    ],
  };
}
