// Sums the per-package lines written by the test reporters and prints the closing line.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
const lines =
  file && existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
const total = { passed: 0, failed: 0, skipped: 0 };
for (const l of lines) for (const k of Object.keys(total)) total[k] += l[k] ?? 0;
for (const l of lines)
  console.log(`  ${l.package.padEnd(24)} ${l.passed} passed, ${l.failed} failed${l.skipped ? `, ${l.skipped} skipped` : ''}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
