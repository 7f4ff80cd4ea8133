const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie sessions (DECISIONS.md): a state-changing request must come from one of the
 * web app's origins (`Origin`), or declare itself same-origin (`Sec-Fetch-Site`), which browsers and
 * stock Uppy's fetch both send. Requests without either (curl, other sites' forms in old browsers)
 * are refused.
 */
export function isSameOriginRequest(
  method: string,
  headers: Record<string, string | string[] | undefined>,
  allowedOrigins: readonly string[],
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const origin = headers['origin'];
  // an opaque origin ("null": sandboxed frames, file: pages) is never ours
  if (typeof origin === 'string') return origin !== 'null' && allowedOrigins.includes(origin);
  return headers['sec-fetch-site'] === 'same-origin';
}
