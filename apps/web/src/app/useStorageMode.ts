import type { MeResponse } from '@isola/contracts';
import { useTenantStorage } from './tenant-storage';

export type StorageMode = 'hosted' | 'isolated';

function asMode(value: unknown): StorageMode | null {
  return value === 'hosted' || value === 'isolated' ? value : null;
}

/** `tenant.storageMode` when /auth/me carries it (not part of MeResponse yet). */
function modeFromMe(me: MeResponse): StorageMode | null {
  return asMode((me.tenant as { storageMode?: unknown } | null)?.storageMode);
}

/** The mode of the target new uploads go to (`active: true`; else the one whose status is `active`). */
export function modeFromTargets(body: unknown): StorageMode | null {
  const list: unknown = Array.isArray(body) ? body : (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(list)) return null;
  const targets = list as Array<{ active?: unknown; status?: unknown; mode?: unknown }>;
  const current = targets.find((t) => t.active === true) ?? targets.find((t) => t.status === 'active');
  return asMode(current?.mode);
}

/**
 * Where the studio's media live, when known: from /auth/me if it says, otherwise (tenant admins only, who may
 * list targets) from the storage targets the shell already loads. Unknown → null, and the header shows no badge.
 */
export function useStorageMode(me: MeResponse): StorageMode | null {
  const { targets } = useTenantStorage();
  return modeFromMe(me) ?? (targets ? modeFromTargets(targets) : null);
}
