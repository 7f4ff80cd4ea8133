import type { CorsPreflightAnswer } from './bucket-inspector.port.js';

/**
 * What a browser at `origin` would conclude from a preflight for a PUT: allowed when the answer is
 * 2xx, names the origin (or `*`) and PUT, and exposes `ETag` — multipart uploads read each part's
 * ETag from the PUT's response, which a browser hides unless it is exposed. (Ceph RGW 16 lists the
 * exposed headers on the preflight answer itself, as AWS does; measured.)
 *
 * Returns the problems found, in words; empty when a browser would proceed.
 */
export function corsPreflightProblems(answer: CorsPreflightAnswer, origin: string): string[] {
  if (answer.status < 200 || answer.status > 299) {
    return [`the preflight from ${origin} was refused (HTTP ${answer.status}): no CORS rule allows this origin with PUT`];
  }
  const problems: string[] = [];
  if (answer.allowOrigin !== origin && answer.allowOrigin !== '*') {
    problems.push(`the answer to ${origin} allows ${answer.allowOrigin === null ? 'no origin' : `origin ${answer.allowOrigin}`}`);
  }
  if (!answer.allowMethods.some((method) => method.toUpperCase() === 'PUT')) {
    problems.push(`PUT is not among the allowed methods (${answer.allowMethods.join(', ') || 'none'}) for ${origin}`);
  }
  if (!answer.exposeHeaders.some((header) => header.toLowerCase() === 'etag')) {
    problems.push(`ETag is not exposed to ${origin} (browsers could not complete multipart uploads)`);
  }
  return problems;
}
