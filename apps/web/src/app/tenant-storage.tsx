import type { MeResponse, StorageTargetDto, StorageTargetListResponse } from '@isola/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useLocation } from 'react-router';
import { apiGet, isAbortError } from '../lib/api';
import { usePolling } from '../lib/usePolling';

/** While a target is revoked, how often the shell looks again (the worker may restore it by itself). */
export const REVOKED_REFRESH_MS = 30_000;

interface TenantStorageApi {
  /** The studio's storage targets; null while unknown (not an admin, not loaded yet, or the call failed). */
  targets: StorageTargetDto[] | null;
  /** Asks the API again (after an admin changed something: verify, activate, recheck). */
  refresh: () => void;
}

const TenantStorageContext = createContext<TenantStorageApi>({ targets: null, refresh: () => undefined });

/**
 * The studio's storage targets as the app shell needs them (storage badge, revoked banner). Only tenant admins
 * may list targets, so only their shell asks: on every page change, on `refresh()`, and every
 * REVOKED_REFRESH_MS while a target is revoked.
 */
export function TenantStorageProvider({ me, children }: { me: MeResponse; children: ReactNode }) {
  const canList = me.tenant !== null && me.role === 'admin';
  const { pathname } = useLocation();
  const [targets, setTargets] = useState<StorageTargetDto[] | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!canList) return;
    const controller = new AbortController();
    apiGet<StorageTargetListResponse>('/tenant/storage/targets', { signal: controller.signal, endSessionOn401: false }).then(
      (body) => setTargets(Array.isArray(body?.items) ? body.items : null),
      (error: unknown) => {
        // Best effort: the badge and the banner are informational; the admin console shows its own errors.
        if (!isAbortError(error)) setTargets(null);
      },
    );
    return () => controller.abort();
  }, [canList, me.tenant?.id, pathname, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  usePolling(canList && (targets ?? []).some((t) => t.status === 'revoked'), refresh, REVOKED_REFRESH_MS);

  const api = useMemo(() => ({ targets: canList ? targets : null, refresh }), [canList, targets, refresh]);
  return <TenantStorageContext.Provider value={api}>{children}</TenantStorageContext.Provider>;
}

export function useTenantStorage(): TenantStorageApi {
  return useContext(TenantStorageContext);
}

/** Targets Isola has lost access to (the studio revoked its role): what the banner is about. */
export function revokedTargets(targets: readonly StorageTargetDto[] | null): StorageTargetDto[] {
  return (targets ?? []).filter((t) => t.status === 'revoked');
}
