// Appends this run's totals to $ISOLA_TEST_RESULTS for scripts/test.sh's closing line (as the Jest
// reporter does for the other packages).
import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private readonly label: string;

  /** `label` names the suite in the summary (the unit tests: `@isola/web`). */
  constructor(options: { label?: string } = {}) {
    this.label = options.label ?? '@isola/web';
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const file = process.env['ISOLA_TEST_RESULTS'];
    if (!file) return;
    const totals = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') totals.passed++;
        else if (state === 'failed') totals.failed++;
        else totals.skipped++;
      }
      if (mod.state() === 'failed' && mod.children.size === 0) totals.failed++;
    }
    appendFileSync(file, `${JSON.stringify({ package: this.label, ...totals })}\n`);
  }
}
