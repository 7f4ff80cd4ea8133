import type { DependencyStatus } from '@isola/contracts';

export type NamedCheck = readonly [name: string, run: () => Promise<DependencyStatus>];

export class StartupCheckError extends Error {
  constructor(
    readonly app: string,
    readonly failures: readonly string[],
  ) {
    super(`${app} cannot start:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    this.name = 'StartupCheckError';
  }
}

/** Runs every check in parallel and throws one error listing all that failed. */
export async function runStartupChecks(app: string, checks: readonly NamedCheck[]): Promise<void> {
  const results = await Promise.all(checks.map(async ([name, run]) => [name, await run()] as const));
  const failures = results.filter(([, r]) => r.status === 'down').map(([name, r]) => r.error ?? `${name} is down`);
  if (failures.length > 0) throw new StartupCheckError(app, failures);
}

/**
 * The apps' `main.ts` ends with this: a configuration or start-up problem is printed as the list of
 * what to fix (no stack trace) and the process exits 1; anything else is a real crash.
 */
export function exitOnStartupFailure(error: unknown): never {
  const known = error instanceof Error && (error.name === 'ConfigError' || error.name === 'StartupCheckError');
  process.stderr.write(known ? `${error.message}\n` : `${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
}
