import type { ApiError } from '@isola/contracts';

/** Thrown for every non-2xx answer: carries the API's machine-readable code and human message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** Same-origin JSON calls to the API (the dev server proxies /api), cookies included. */
export async function apiGet<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`/api${path}`, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...init.headers } });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok && !(res.status === 503 && path === '/health')) {
    const err = body as Partial<ApiError> | null;
    throw new ApiRequestError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `The server answered ${res.status}.`);
  }
  return body as T;
}
