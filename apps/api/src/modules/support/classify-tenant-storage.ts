import type { TenantStorageMode } from '@isola/contracts';

/** A storage target as support access cares about it. */
export interface TargetModeAndStatus {
  mode: 'hosted' | 'isolated';
  status: 'pending' | 'verified' | 'active' | 'revoked' | 'retired';
}

/**
 * How a tenant stores its media, for support-access decisions. Conservative on purpose: ANY target of
 * the studio's own (isolated) that is not retired makes the tenant isolated — pending and verified
 * ones (the studio is moving to its own bucket), active ones, and revoked ones (media stay in the
 * studio's bucket even when Isola can no longer reach it). Retired targets were emptied by a migration.
 */
export function classifyTenantStorage(targets: readonly TargetModeAndStatus[]): TenantStorageMode {
  const live = targets.filter((t) => t.status !== 'retired');
  if (live.some((t) => t.mode === 'isolated')) return 'isolated';
  return live.length > 0 ? 'hosted' : 'none';
}

export interface GrantWindow {
  expiresAt: Date;
  revokedAt: Date | null;
}

export function supportGrantStatus(grant: GrantWindow, now: Date): 'active' | 'expired' | 'revoked' {
  if (grant.revokedAt) return 'revoked';
  return grant.expiresAt > now ? 'active' : 'expired';
}
