import type { StorageTargetStatus } from '@isola/database';

/**
 * The status a connection test moves a target to. `pending` ⇄ `verified` follow the result (a
 * verified target that now fails can no longer be activated until fixed); `active` stays active
 * whatever the result — revocation is decided by the broker's confirmed denials, not here; a
 * `revoked` target is restored by `markTargetRestored` when the test passes (before this applies),
 * and `retired` stays retired.
 */
export function statusAfterTest(status: StorageTargetStatus, ok: boolean): StorageTargetStatus {
  if (status === 'pending' && ok) return 'verified';
  if (status === 'verified' && !ok) return 'pending';
  return status;
}
