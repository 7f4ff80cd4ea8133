// A Jest reporter that appends each run's totals to $ISOLA_TEST_RESULTS (one JSON line per run), so
// scripts/test.sh can print one closing line for the whole suite ("N passed, N failed").
import { appendFileSync } from 'node:fs';

export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.ISOLA_TEST_RESULTS;
    if (!file) return;
    const line = {
      package: process.env.npm_package_name ?? process.cwd(),
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
}
