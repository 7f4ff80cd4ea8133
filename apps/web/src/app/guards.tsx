import type { MeResponse } from '@isola/contracts';
import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { useMe, useSession } from './session';

export interface LoginRedirectState {
  from?: string;
}

/** Children render only for a signed-in user; anyone else goes to /login (and comes back after). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session, retry } = useSession();
  const location = useLocation();
  switch (session.status) {
    case 'loading':
      return (
        <p className="page-status" aria-busy="true">
          Loading…
        </p>
      );
    case 'unavailable':
      return (
        <div className="page-status" role="alert">
          <p>Isola cannot be reached right now: {session.error.message}</p>
          <button type="button" className="button" onClick={retry}>
            Try again
          </button>
        </div>
      );
    case 'anonymous': {
      const state: LoginRedirectState = { from: `${location.pathname}${location.search}` };
      return <Navigate to="/login" replace state={state} />;
    }
    case 'authenticated':
      return children;
  }
}

/** Children render only when `allow(me)`; others see why they cannot (the API enforces it regardless). */
export function RequireRole({ allow, what, children }: { allow: (me: MeResponse) => boolean; what: string; children: ReactNode }) {
  const me = useMe();
  if (allow(me)) return children;
  return (
    <section className="page-status">
      <h1>Not available</h1>
      <p>This area is for {what}.</p>
      <Link to="/">Back to the library</Link>
    </section>
  );
}
