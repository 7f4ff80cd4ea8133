import type { StorageTargetStatus } from '@isola/contracts';
import { TARGET_STATUS } from './target-labels';

export function TargetStatusBadge({ status }: { status: StorageTargetStatus }) {
  const { label, hint } = TARGET_STATUS[status];
  return (
    <span className="badge target-status" data-status={status} title={hint}>
      {label}
    </span>
  );
}
