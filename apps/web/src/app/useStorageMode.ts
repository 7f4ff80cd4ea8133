import type { MeResponse } from '@isola/contracts';
import { useEffect, useState } from 'react';
import { apiGet, isAbortError } from '../lib/api';

export type StorageMode = 'hosted' | 'isolated';

function asMode(value: unknown): StorageMode | null {
  return value === 'hosted' || value === 'isolated' ? value : null;
}

/** `tenant.storageMode` when /auth/me carries it (not part of MeResponse yet). */
function modeFromMe(me: MeResponse): StorageMode | null {
  return asMode((me.tenant as { storageMode?: unknown } | null)?.storageMode);
}

/** The active target's mode in a storage-targets answer (a list, or `{ items }`). */
export function modeFromTargets(body: unknown): StorageMode | null {
  const list: unknown = Array.isArray(body) ? body : (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(list)) return null;
  const active = list.find((target: { status?: unknown }) => target.status === 'active') as { mode?: unknown } | undefined;
  return asMode(active?.mode);
}

/**
 * Where the studio's media live, when known: from /auth/me if it says, otherwise (tenant admins only, who may
 * list targets) from the active storage target. Unknown → null, and the header shows no badge.
 */
export function useStorageMode(me: MeResponse): StorageMode | null {
  const fromMe = modeFromMe(me);
  const canList = !fromMe && me.tenant !== null && me.role === 'admin';
  const [fromTargets, setFromTargets] = useState<StorageMode | null>(null);

  useEffect(() => {
    if (!canList) return;
    const controller = new AbortController();
    apiGet<unknown>('/tenant/storage/targets', { signal: controller.signal, endSessionOn401: false }).then(
      (body) => setFromTargets(modeFromTargets(body)),
      (error: unknown) => {
        // Best effort: the badge is informational, so a failure just leaves it out.
        if (!isAbortError(error)) setFromTargets(null);
      },
    );
    return () => controller.abort();
  }, [canList, me.tenant?.id]);

  return fromMe ?? (canList ? fromTargets : null);
}
