import type { MediaStatus } from '@isola/contracts';
import { STATUS_LABELS } from './media-labels';

export function StatusBadge({ status }: { status: MediaStatus }) {
  return (
    <span className="badge status-badge" data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
