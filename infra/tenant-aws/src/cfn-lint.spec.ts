import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEMPLATE_PATH } from './paths.js';

const run = promisify(execFile);

/** cfn-lint checks the template against CloudFormation's resource specifications (≈4 s of CPU). */
describe('cfn-lint', () => {
  it('finds nothing in the CloudFormation template', async () => {
    try {
      await run(process.env['CFN_LINT_PATH'] ?? 'cfn-lint', ['--format', 'parseable', TEMPLATE_PATH], { timeout: 60_000 });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
      if (e.code === 'ENOENT')
        throw new Error('cfn-lint is not installed (pip install cfn-lint, or set CFN_LINT_PATH): the template cannot be linted.');
      throw new Error(`cfn-lint reports problems:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }, 60_000);
});
