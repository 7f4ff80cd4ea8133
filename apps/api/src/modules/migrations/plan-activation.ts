/**
 * The mode switch's decision, pure: may this target become the studio's active one, and what moves.
 *
 * - A target already active is refused (409 TARGET_ALREADY_ACTIVE), as is any switch while one of the
 *   studio's migrations is pending or running (409 MIGRATION_IN_PROGRESS): one move at a time.
 * - An isolated target must have passed the connection test (`verified`); a hosted one (the
 *   platform's own bucket) needs no test, so `pending`, `verified` and `retired` hosted targets are
 *   accepted. A `revoked` target never is (409 TARGET_NOT_VERIFIED).
 * - With a previously active target, a migration moves its media; the old copies are deleted after
 *   the grace period when they are in the platform's bucket (hosted), and in a studio's own bucket
 *   only when the studio opted in to deletes (Tenant.deleteObjectsEnabled).
 */
export interface TargetState {
  id: string;
  mode: 'hosted' | 'isolated';
  status: 'pending' | 'verified' | 'active' | 'revoked' | 'retired';
}

export type ActivationRefusal = 'already-active' | 'migration-in-progress' | 'not-verified';

export type ActivationDecision =
  | { kind: 'refuse'; reason: ActivationRefusal }
  | { kind: 'activate'; previousTargetId: string | null; migrate: boolean; deleteSources: boolean };

export function planActivation(input: {
  target: TargetState;
  /** The tenant's active target now (Tenant.activeTargetId), if any. */
  active: TargetState | null;
  migrationInProgress: boolean;
  deleteObjectsEnabled: boolean;
}): ActivationDecision {
  const { target, active } = input;
  if (active?.id === target.id) return { kind: 'refuse', reason: 'already-active' };
  if (input.migrationInProgress) return { kind: 'refuse', reason: 'migration-in-progress' };
  if (!isActivatable(target)) return { kind: 'refuse', reason: 'not-verified' };
  if (active === null) return { kind: 'activate', previousTargetId: null, migrate: false, deleteSources: false };
  return {
    kind: 'activate',
    previousTargetId: active.id,
    migrate: true,
    deleteSources: active.mode === 'hosted' || input.deleteObjectsEnabled,
  };
}

function isActivatable(target: TargetState): boolean {
  if (target.status === 'revoked' || target.status === 'active') return false;
  return target.mode === 'hosted' || target.status === 'verified';
}
