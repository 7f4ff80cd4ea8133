import type { MediaDto, MediaKind, MediaListResponse, MediaStatus } from '@isola/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiRequestError } from '../../lib/api';
import { apiGet, isAbortError } from '../../lib/api';
import { toApiRequestError } from '../../lib/useApiResource';
import { usePolling } from '../../lib/usePolling';
import { isProcessing } from '../media/media-labels';

export interface MediaFilters {
  type: MediaKind | null;
  status: MediaStatus | null;
  /** Filename search; '' = none. */
  q: string;
}

export const PAGE_SIZE = 48;
/** How often items still being uploaded or transcoded are asked for again. */
export const LIBRARY_POLL_MS = 5_000;
/** Polling asks for each processing item on its own: cap the requests per round. */
const MAX_POLLED_ITEMS = 24;

/** GET /api/media's path for these filters (and page). */
export function mediaListPath(filters: MediaFilters, cursor?: string): string {
  const params = new URLSearchParams();
  if (filters.type) params.set('type', filters.type);
  if (filters.status) params.set('status', filters.status);
  const q = filters.q.trim();
  if (q) params.set('q', q);
  if (cursor) params.set('cursor', cursor);
  params.set('limit', String(PAGE_SIZE));
  return `/media?${params.toString()}`;
}

export interface MediaListState {
  items: MediaDto[];
  nextCursor: string | null;
  /** 'loading' only while there is nothing to show yet (first page of these filters). */
  status: 'loading' | 'ready' | 'error';
  /** The first page failed. */
  error: ApiRequestError | null;
  loadingMore: boolean;
  /** "Load more" failed; the items already shown stay. */
  moreError: ApiRequestError | null;
}

const initialState: MediaListState = { items: [], nextCursor: null, status: 'loading', error: null, loadingMore: false, moreError: null };

function mergePage(items: MediaDto[], page: MediaDto[]): MediaDto[] {
  const seen = new Set(items.map((m) => m.id));
  return [...items, ...page.filter((m) => !seen.has(m.id))];
}

/**
 * The library's items for some filters, a page at a time ("Load more" follows `nextCursor`). Items being
 * uploaded or transcoded are polled so their status and progress move on screen.
 */
export function useMediaList(filters: MediaFilters, { pollMs = LIBRARY_POLL_MS } = {}) {
  const [state, setState] = useState<MediaListState>(initialState);
  const [generation, setGeneration] = useState(0);
  const path = mediaListPath(filters);
  const lastPath = useRef(path);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    const filtersChanged = lastPath.current !== path;
    lastPath.current = path;
    const current = new AbortController();
    controller.current = current;
    // New filters start from scratch; a reload (same filters) keeps the items on screen meanwhile.
    if (filtersChanged) setState(initialState);
    apiGet<MediaListResponse>(path, { signal: current.signal }).then(
      (page) => setState({ ...initialState, status: 'ready', items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => {
        if (!isAbortError(error)) setState({ ...initialState, status: 'error', error: toApiRequestError(error) });
      },
    );
    return () => current.abort();
  }, [path, generation]);

  const loadMore = useCallback(() => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore || state.status !== 'ready') return;
    setState((prev) => ({ ...prev, loadingMore: true, moreError: null }));
    apiGet<MediaListResponse>(mediaListPath(filters, cursor), { signal: controller.current?.signal }).then(
      (page) =>
        setState((prev) => ({ ...prev, items: mergePage(prev.items, page.items), nextCursor: page.nextCursor, loadingMore: false })),
      (error: unknown) => {
        if (!isAbortError(error)) setState((prev) => ({ ...prev, loadingMore: false, moreError: toApiRequestError(error) }));
      },
    );
  }, [filters, state.nextCursor, state.loadingMore, state.status]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const processingIds = useMemo(
    () =>
      state.items
        .filter((m) => isProcessing(m.status))
        .slice(0, MAX_POLLED_ITEMS)
        .map((m) => m.id),
    [state.items],
  );
  usePolling(
    processingIds.length > 0,
    async () => {
      const results = await Promise.allSettled(processingIds.map((id) => apiGet<MediaDto>(`/media/${encodeURIComponent(id)}`)));
      const updated = new Map<string, MediaDto | null>();
      results.forEach((result, i) => {
        const id = processingIds[i]!;
        if (result.status === 'fulfilled') updated.set(id, result.value);
        else if (toApiRequestError(result.reason).status === 404) updated.set(id, null);
      });
      setState((prev) => ({
        ...prev,
        items: prev.items.flatMap((m) => {
          if (!updated.has(m.id)) return [m];
          const next = updated.get(m.id);
          return next ? [next] : [];
        }),
      }));
    },
    pollMs,
  );

  return { state, loadMore, reload };
}
