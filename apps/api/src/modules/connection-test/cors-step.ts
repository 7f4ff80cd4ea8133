import { isStorageError } from '@isola/tenant-storage';
import { corsPreflightProblems } from './cors-preflight-verdict.js';
import { corsHint, tryAgainHint } from './fix-hints.js';
import type { ConnectionTestStepDefinition } from './run-connection-test.js';
import type { VerifyPorts, VerifyRun } from './verify-run.js';

/**
 * 6. Browsers upload and download directly: a CORS preflight for a PUT from each of the web app's
 * origins (API config WEB_ORIGINS) to the bucket's URL must be allowed, with ETag exposed.
 */
export function corsStep({ inspector }: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'cors',
    title: 'Browser uploads allowed (CORS)',
    needs: ['bucket'],
    async run(run) {
      const { target, webOrigins } = run;
      if (webOrigins.length === 0) {
        return {
          outcome: 'warn',
          detail: 'Not checked: the API has no web origin configured (WEB_ORIGINS).',
          hint: 'Set WEB_ORIGINS on the API.',
        };
      }
      const problems: string[] = [];
      let url = '';
      for (const origin of webOrigins) {
        try {
          const answer = await inspector.corsPreflight(target, { origin, method: 'PUT' });
          url = answer.url;
          problems.push(...corsPreflightProblems(answer, origin));
        } catch (error) {
          if (!isStorageError(error)) throw error;
          return { outcome: 'fail', detail: `The CORS preflight could not be sent: ${error.message}`, hint: tryAgainHint(target) };
        }
      }
      if (problems.length > 0) {
        return {
          outcome: 'fail',
          detail: `Browsers could not upload to ${url}: ${problems.join('; ')}.`,
          hint: corsHint(target, webOrigins),
        };
      }
      return {
        outcome: 'pass',
        detail: `${url} allows PUT from ${webOrigins.join(', ')} and exposes ETag (CORS preflight).`,
      };
    },
  };
}
