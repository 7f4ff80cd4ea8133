import { useState } from 'react';
import { useMe } from '../app/session';
import { SystemStatus } from '../features/health/SystemStatus';
import { TenantsTable } from '../features/support/TenantsTable';
import { useSupportTenants } from '../features/support/useSupportTenants';
import '../features/support/support.css';
import { useDebouncedValue } from '../lib/useDebouncedValue';

export const SUPPORT_SEARCH_DEBOUNCE_MS = 300;

/** Isola staff: the studios and the state of their storage, and the platform's health. Never a studio's media. */
export function SupportPage() {
  const me = useMe();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search, SUPPORT_SEARCH_DEBOUNCE_MS);
  const { state, loadMore, reload } = useSupportTenants(q);

  return (
    <section className="support-page" aria-labelledby="support-heading">
      <h1 id="support-heading">Support</h1>
      <p className="muted">
        Signed in as {me.staffRole === 'admin' ? 'a platform admin' : 'support staff'}. Studios’ media stay out of reach from here: a studio
        with its own bucket is never reachable by Isola staff, and a hosted studio only while its admin grants access.
      </p>

      <section aria-labelledby="tenants-heading" className="card">
        <div className="support-tenants-header">
          <h2 id="tenants-heading">Studios</h2>
          <div className="field">
            <label htmlFor="support-search">Find a studio</label>
            <input
              id="support-search"
              type="search"
              placeholder="Name or slug"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
        </div>
        {state.status === 'loading' && <p aria-busy="true">Loading studios…</p>}
        {state.status === 'error' && state.error && (
          <div role="alert">
            <p>The studios cannot be loaded: {state.error.message}</p>
            <button type="button" className="button" onClick={reload}>
              Try again
            </button>
          </div>
        )}
        {state.status === 'ready' && state.items.length === 0 && <p className="muted">No studio matches.</p>}
        {state.status === 'ready' && state.items.length > 0 && (
          <>
            <TenantsTable tenants={state.items} />
            {state.error && (
              <p role="alert" className="error-text">
                More studios cannot be loaded: {state.error.message}
              </p>
            )}
            {state.nextCursor && (
              <button type="button" className="button" onClick={loadMore} disabled={state.loadingMore}>
                {state.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
      </section>

      <SystemStatus />
    </section>
  );
}
