import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { MediaCard } from '../features/library/MediaCard';
import { type MediaFilters, useMediaList } from '../features/library/useMediaList';
import '../features/library/library.css';
import { isMediaKind, isMediaStatus, KIND_LABELS, MEDIA_KINDS, MEDIA_STATUSES, STATUS_LABELS } from '../features/media/media-labels';
import { useUploads } from '../features/upload/UploadsProvider';
import { useDebouncedValue } from '../lib/useDebouncedValue';

// Uppy (and its dashboard) load only when the upload panel opens.
const UploadPanel = lazy(() => import('../features/upload/UploadPanel').then((m) => ({ default: m.UploadPanel })));

export const SEARCH_DEBOUNCE_MS = 300;

/** The studio's media: filters and search live in the URL (?type=&status=&q=), so back/forward and links keep them. */
export function LibraryPage({ uploadOpen = false }: { uploadOpen?: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const typeParam = params.get('type');
  const statusParam = params.get('status');
  const q = params.get('q') ?? '';
  const filters = useMemo<MediaFilters>(
    () => ({ type: isMediaKind(typeParam) ? typeParam : null, status: isMediaStatus(statusParam) ? statusParam : null, q }),
    [typeParam, statusParam, q],
  );
  const { state, loadMore, reload } = useMediaList(filters);
  const { onUploadsChanged } = useUploads();
  useEffect(() => onUploadsChanged(reload), [onUploadsChanged, reload]);

  const [search, setSearch] = useState(q);
  const debouncedSearch = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  useEffect(() => {
    const next = debouncedSearch.trim();
    if (next === q) return;
    setParams(
      (prev) => {
        const updated = new URLSearchParams(prev);
        if (next) updated.set('q', next);
        else updated.delete('q');
        return updated;
      },
      { replace: true },
    );
    // Only a settled search edit writes the URL: `q` changing (back/forward) must not write it back.
  }, [debouncedSearch]);

  const setFilter = (name: 'type' | 'status', value: string) =>
    setParams((prev) => {
      const updated = new URLSearchParams(prev);
      if (value) updated.set(name, value);
      else updated.delete(name);
      return updated;
    });
  const hasFilters = filters.type !== null || filters.status !== null || filters.q !== '';
  const clearFilters = () => {
    setSearch('');
    setParams(new URLSearchParams());
  };
  const currentSearch = params.toString();
  const closeUpload = () => void navigate({ pathname: '/', search: currentSearch ? `?${currentSearch}` : '' });

  return (
    <section className="library" aria-labelledby="library-heading">
      <div className="library-header">
        <h1 id="library-heading">Library</h1>
        {!uploadOpen && (
          <Link to={{ pathname: '/upload', search: currentSearch ? `?${currentSearch}` : '' }} className="button button-primary">
            Upload
          </Link>
        )}
      </div>

      {uploadOpen && (
        <Suspense
          fallback={
            <div className="upload-panel card" aria-busy="true">
              Loading the uploader…
            </div>
          }
        >
          <UploadPanel onClose={closeUpload} />
        </Suspense>
      )}

      <div className="toolbar" role="search">
        <div className="field field-grow">
          <label htmlFor="library-search">Search by name</label>
          <input id="library-search" type="search" placeholder="File name" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="library-type">Type</label>
          <select id="library-type" value={filters.type ?? ''} onChange={(e) => setFilter('type', e.target.value)}>
            <option value="">All types</option>
            {MEDIA_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="library-status">Status</label>
          <select id="library-status" value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">Any status</option>
            {MEDIA_STATUSES.filter((s) => s !== 'deleted').map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
      </div>

      {state.status === 'loading' && (
        <ul className="media-grid" aria-busy="true" aria-label="Loading media">
          {Array.from({ length: 8 }, (_, i) => (
            <li key={i} className="media-card skeleton" />
          ))}
        </ul>
      )}

      {state.status === 'error' && state.error && (
        <div className="empty-state" role="alert">
          <h2>The library cannot be loaded</h2>
          <p>{state.error.message}</p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}

      {state.status === 'ready' && state.items.length === 0 && (
        <div className="empty-state">
          {hasFilters ? (
            <>
              <h2>Nothing matches</h2>
              <p className="muted">No media match these filters.</p>
              <button type="button" className="button" onClick={clearFilters}>
                Clear filters
              </button>
            </>
          ) : (
            <>
              <h2>No media yet</h2>
              <p className="muted">Upload video, images or audio: they go straight to your studio’s storage.</p>
              {!uploadOpen && (
                <Link to="/upload" className="button button-primary">
                  Upload files
                </Link>
              )}
            </>
          )}
        </div>
      )}

      {state.status === 'ready' && state.items.length > 0 && (
        <>
          <ul className="media-grid" aria-label="Media">
            {state.items.map((media) => (
              <MediaCard key={media.id} media={media} />
            ))}
          </ul>
          <div className="load-more">
            {state.moreError && (
              <p role="alert" className="error-text">
                More media cannot be loaded: {state.moreError.message}
              </p>
            )}
            {state.nextCursor && (
              <button type="button" className="button" onClick={loadMore} disabled={state.loadingMore}>
                {state.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
