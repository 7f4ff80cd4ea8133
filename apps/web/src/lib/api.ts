import type { ApiError } from '@isola/contracts';

/** Thrown for every failed call: the HTTP status (0 = the API could not be reached), the API's code and message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The API's `details`, when it sent some (e.g. the fields a 400 refused). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /**
   * A 401 normally means the session ended: listeners registered with `onUnauthenticated` (the session) drop
   * it and the route guard sends the user to /login. Sign-in and the session probe expect 401 and opt out.
   */
  endSessionOn401?: boolean;
  /** Non-2xx statuses whose body is still the answer (the health check answers 503 with its report). */
  acceptStatuses?: readonly number[];
}

type UnauthenticatedListener = (error: ApiRequestError) => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called on every 401 (except where the caller opted out); returns the unsubscribe function. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function toApiRequestError(status: number, body: unknown): ApiRequestError {
  const err = (body ?? {}) as Partial<ApiError>;
  const code = typeof err.code === 'string' ? err.code : 'HTTP_ERROR';
  const message = typeof err.message === 'string' && err.message ? err.message : `The server answered ${status}.`;
  const details = typeof err.details === 'object' && err.details !== null ? err.details : undefined;
  return new ApiRequestError(status, code, message, details);
}

/**
 * Same-origin JSON call to the API (the dev server proxies /api), cookies included. The browser adds the
 * `Origin` header to state-changing requests itself, which is what the API's CSRF check wants.
 */
export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, endSessionOn401 = true, acceptStatuses = [] } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(0, 'NETWORK_ERROR', 'The Isola API cannot be reached. Check your connection and try again.');
  }
  const data: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok && !acceptStatuses.includes(res.status)) {
    const error = toApiRequestError(res.status, data);
    if (res.status === 401 && endSessionOn401) for (const listener of unauthenticatedListeners) listener(error);
    throw error;
  }
  return data as T;
}

export function apiGet<T>(path: string, options: Omit<ApiRequestOptions, 'method' | 'body'> = {}): Promise<T> {
  return apiRequest<T>(path, options);
}

/** True when the promise was rejected because its AbortSignal fired (a superseded or unmounted request). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
