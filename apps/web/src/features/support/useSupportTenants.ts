import type { SupportTenantDto, SupportTenantsResponse } from '@isola/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { ApiRequestError } from '../../lib/api';
import { apiGet, isAbortError } from '../../lib/api';
import { toApiRequestError } from '../../lib/useApiResource';

export const SUPPORT_PAGE_SIZE = 50;

export function supportTenantsPath(q: string, cursor?: string): string {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  if (cursor) params.set('cursor', cursor);
  params.set('limit', String(SUPPORT_PAGE_SIZE));
  return `/support/tenants?${params.toString()}`;
}

export interface SupportTenantsState {
  status: 'loading' | 'ready' | 'error';
  items: SupportTenantDto[];
  nextCursor: string | null;
  error: ApiRequestError | null;
  loadingMore: boolean;
}

/** GET /api/support/tenants for a search, a page at a time. */
export function useSupportTenants(q: string) {
  const [state, setState] = useState<SupportTenantsState>({
    status: 'loading',
    items: [],
    nextCursor: null,
    error: null,
    loadingMore: false,
  });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState((prev) => ({ ...prev, status: prev.status === 'ready' ? 'ready' : 'loading', error: null }));
    apiGet<SupportTenantsResponse>(supportTenantsPath(q), { signal: controller.signal }).then(
      (page) => setState({ status: 'ready', items: page.items, nextCursor: page.nextCursor, error: null, loadingMore: false }),
      (error: unknown) => {
        if (!isAbortError(error)) setState((prev) => ({ ...prev, status: 'error', error: toApiRequestError(error) }));
      },
    );
    return () => controller.abort();
  }, [q, generation]);

  const loadMore = useCallback(() => {
    if (!state.nextCursor || state.loadingMore) return;
    setState((prev) => ({ ...prev, loadingMore: true }));
    apiGet<SupportTenantsResponse>(supportTenantsPath(q, state.nextCursor)).then(
      (page) =>
        setState((prev) => ({
          ...prev,
          items: [...prev.items, ...page.items],
          nextCursor: page.nextCursor,
          loadingMore: false,
          error: null,
        })),
      (error: unknown) => setState((prev) => ({ ...prev, loadingMore: false, error: toApiRequestError(error) })),
    );
  }, [q, state.nextCursor, state.loadingMore]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, loadMore, reload };
}
