import type { MeResponse } from '@isola/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ApiRequestError, apiRequest, isAbortError, onUnauthenticated } from '../lib/api';
import { toApiRequestError } from '../lib/useApiResource';
import { clearLinksCache } from '../features/media/links-store';

export type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  /** /auth/me failed for another reason than 401 (API down): we cannot tell who the user is. */
  | { status: 'unavailable'; error: ApiRequestError }
  | { status: 'authenticated'; me: MeResponse };

interface SessionApi {
  session: Session;
  signIn: (email: string, password: string) => Promise<MeResponse>;
  signOut: () => Promise<void>;
  /** Ask /auth/me again (after "unavailable"). */
  retry: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setSession({ status: 'loading' });
    apiRequest<MeResponse>('/auth/me', { signal: controller.signal, endSessionOn401: false }).then(
      (me) => setSession({ status: 'authenticated', me }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        const apiError = toApiRequestError(error);
        setSession(apiError.status === 401 ? { status: 'anonymous' } : { status: 'unavailable', error: apiError });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // Any 401 later on (the session expired or was revoked) signs the user out; the route guard then
  // sends them to /login.
  useEffect(
    () =>
      onUnauthenticated(() => {
        clearLinksCache();
        setSession({ status: 'anonymous' });
      }),
    [],
  );

  const signIn = useCallback(async (email: string, password: string) => {
    const me = await apiRequest<MeResponse>('/auth/login', { method: 'POST', body: { email, password }, endSessionOn401: false });
    setSession({ status: 'authenticated', me });
    return me;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiRequest<void>('/auth/logout', { method: 'POST', endSessionOn401: false });
    } finally {
      clearLinksCache();
      setSession({ status: 'anonymous' });
    }
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const api = useMemo(() => ({ session, signIn, signOut, retry }), [session, signIn, signOut, retry]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession must be used inside <SessionProvider>');
  return api;
}

/** For screens behind the route guard: the signed-in user. */
export function useMe(): MeResponse {
  const { session } = useSession();
  if (session.status !== 'authenticated') throw new Error('useMe must be used behind <RequireAuth>');
  return session.me;
}

export function isTenantAdmin(me: MeResponse): boolean {
  return me.tenant !== null && me.role === 'admin';
}

export function isStaff(me: MeResponse): boolean {
  return me.staffRole !== null;
}

/** "Member", "Admin", "Support", "Platform admin" — the tenant role first, then the staff role. */
export function roleLabels(me: MeResponse): string[] {
  const labels: string[] = [];
  if (me.tenant && me.role) labels.push(me.role === 'admin' ? 'Admin' : 'Member');
  if (me.staffRole) labels.push(me.staffRole === 'admin' ? 'Platform admin' : 'Support');
  return labels;
}
