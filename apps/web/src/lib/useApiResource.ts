import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, apiGet, isAbortError } from './api';

export type ResourceState<T> =
  { status: 'loading' } | { status: 'loaded'; data: T; refreshing: boolean } | { status: 'error'; error: ApiRequestError };

export interface ApiResource<T> {
  state: ResourceState<T>;
  /** Fetches again; the current data stays on screen until the answer arrives. */
  reload: () => void;
  /** Replaces the data locally (after a PATCH answered with the new version). */
  setData: (data: T) => void;
}

export function toApiRequestError(error: unknown): ApiRequestError {
  if (error instanceof ApiRequestError) return error;
  return new ApiRequestError(0, 'CLIENT_ERROR', error instanceof Error ? error.message : String(error));
}

/** GET one API resource (`path` relative to /api; null = nothing to load yet). */
export function useApiResource<T>(path: string | null): ApiResource<T> {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const lastPath = useRef(path);

  useEffect(() => {
    if (path === null) return;
    const pathChanged = lastPath.current !== path;
    lastPath.current = path;
    const controller = new AbortController();
    setState((prev) => (prev.status === 'loaded' && !pathChanged ? { ...prev, refreshing: true } : { status: 'loading' }));
    apiGet<T>(path, { signal: controller.signal }).then(
      (data) => setState({ status: 'loaded', data, refreshing: false }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ status: 'error', error: toApiRequestError(error) });
      },
    );
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((data: T) => setState({ status: 'loaded', data, refreshing: false }), []);
  return { state, reload, setData };
}
