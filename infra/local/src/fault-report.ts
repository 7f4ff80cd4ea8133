// The fault suites' report line (apps/api/test/faults, apps/worker/test/faults): shared test support, like createTestStudio.
/** One line per fault scenario: what was injected and what was lost (the target is nothing). */
export function reportFault(scenario: string, injected: string, lost: Record<string, number>, extra = ''): void {
  const losses = Object.entries(lost)
    .map(([what, n]) => `${what}=${n}`)
    .join(' ');
  // a plain stdout write: Jest's console buffering would bury it among the test output
  process.stdout.write(`[fault] ${scenario}: injected ${injected}; lost ${losses}${extra ? `; ${extra}` : ''}\n`);
}

/** A number option from the environment (`FAULT_REPEATS=5`), with its default. */
export function numberOption(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return value;
}
