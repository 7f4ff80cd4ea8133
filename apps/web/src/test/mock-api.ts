import { vi } from 'vitest';

/** One request the app made, as the mock saw it. */
export interface ApiCall {
  method: string;
  /** Path and query, e.g. `/api/media?type=video&limit=48`. */
  path: string;
  url: URL;
  /** The parsed JSON body, if any. */
  body: unknown;
}

export interface MockAnswer {
  status?: number;
  body?: unknown;
}

type Handler = (call: ApiCall) => MockAnswer | Promise<MockAnswer>;

/**
 * Replaces `fetch` with a small in-memory API: `on(method, pathname, answer)` registers an answer (later
 * registrations win, so a test can override a default); unmatched requests get 404 {code, message}.
 * Every request is recorded in `calls`. vitest's `unstubAllGlobals` (test-setup.ts) restores fetch.
 */
export function mockApi() {
  const routes: Array<{ method: string; pathname: string | RegExp; handler: Handler }> = [];
  const calls: ApiCall[] = [];

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://localhost:5173');
    const method = (init.method ?? 'GET').toUpperCase();
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const call: ApiCall = { method, path: `${url.pathname}${url.search}`, url, body };
    calls.push(call);
    const route = routes.findLast(
      (r) => r.method === method && (typeof r.pathname === 'string' ? r.pathname === url.pathname : r.pathname.test(url.pathname)),
    );
    const answer: MockAnswer = route
      ? await route.handler(call)
      : { status: 404, body: { code: 'NOT_FOUND', message: `No mock for ${method} ${url.pathname}` } };
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? null), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);

  const api = {
    calls,
    fetch: fetchMock,
    on(method: string, pathname: string | RegExp, answer: MockAnswer | Handler) {
      routes.push({ method: method.toUpperCase(), pathname, handler: typeof answer === 'function' ? answer : () => answer });
      return api;
    },
    /** The calls to one pathname (query ignored). */
    callsTo(method: string, pathname: string): ApiCall[] {
      return calls.filter((c) => c.method === method.toUpperCase() && c.url.pathname === pathname);
    },
  };
  return api;
}

export type MockApi = ReturnType<typeof mockApi>;
