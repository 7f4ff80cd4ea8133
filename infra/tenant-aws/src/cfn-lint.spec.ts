import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEMPLATE_PATH } from './paths.js';

const run = promisify(execFile);

/**
 * Where cfn-lint may be: CFN_LINT_PATH, then PATH, then a pyenv install (pip puts it there on these
 * machines, and a non-interactive shell's PATH may lack pyenv's shims).
 */
function cfnLintCandidates(): string[] {
  const pyenv = join(process.env['PYENV_ROOT'] ?? join(homedir(), '.pyenv'));
  const versions = existsSync(join(pyenv, 'versions')) ? readdirSync(join(pyenv, 'versions')) : [];
  return [
    ...(process.env['CFN_LINT_PATH'] ? [process.env['CFN_LINT_PATH']] : []),
    'cfn-lint',
    join(pyenv, 'shims', 'cfn-lint'),
    ...versions.map((v) => join(pyenv, 'versions', v, 'bin', 'cfn-lint')),
  ];
}

/** cfn-lint checks the template against CloudFormation's resource specifications (≈4 s of CPU). */
describe('cfn-lint', () => {
  it('finds nothing in the CloudFormation template', async () => {
    for (const candidate of cfnLintCandidates()) {
      try {
        await run(candidate, ['--format', 'parseable', TEMPLATE_PATH], { timeout: 60_000 });
        return;
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
        // not there (or a pyenv shim for a version without it): try the next place
        if (e.code === 'ENOENT' || /command not found/.test(e.stderr ?? '')) continue;
        throw new Error(`cfn-lint reports problems:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    }
    throw new Error('cfn-lint is not installed (pip install cfn-lint, or set CFN_LINT_PATH): the template cannot be linted.');
  }, 60_000);
});
