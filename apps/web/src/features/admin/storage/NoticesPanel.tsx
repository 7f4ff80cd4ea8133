import type { NoticeDto, NoticeListResponse } from '@isola/contracts';
import { useState } from 'react';
import { apiRequest } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { toApiRequestError, useApiResource } from '../../../lib/useApiResource';
import { ErrorNote } from '../common/ErrorNote';

/** Messages Isola left for the studio's admins (access revoked or restored, migrations ended), newest first. */
export function NoticesPanel() {
  const { state, reload } = useApiResource<NoticeListResponse>('/tenant/notices?limit=20');
  const [dismissError, setDismissError] = useState<string | null>(null);

  const dismiss = async (notice: NoticeDto) => {
    setDismissError(null);
    try {
      await apiRequest<NoticeDto>(`/tenant/notices/${notice.id}/dismiss`, { method: 'POST' });
      reload();
    } catch (e) {
      setDismissError(toApiRequestError(e).message);
    }
  };

  return (
    <section className="card admin-section" aria-labelledby="notices-title">
      <h2 id="notices-title">Notices{state.status === 'loaded' && state.data.undismissed > 0 ? ` (${state.data.undismissed} new)` : ''}</h2>
      {state.status === 'loading' && <p aria-busy="true">Loading notices…</p>}
      {state.status === 'error' && <ErrorNote error={state.error} prefix="Notices cannot be loaded" />}
      {state.status === 'loaded' && state.data.items.length === 0 && <p className="muted">Nothing to report.</p>}
      {state.status === 'loaded' && state.data.items.length > 0 && (
        <ul className="notices">
          {state.data.items.map((notice) => (
            <li key={notice.id} className="notice" data-kind={notice.kind} data-dismissed={notice.dismissedAt !== null}>
              <div>
                <p className="notice-message">{notice.message}</p>
                <p className="muted notice-time">{formatDateTime(notice.createdAt)}</p>
              </div>
              {notice.dismissedAt === null ? (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => void dismiss(notice)}
                  aria-label={`Dismiss: ${notice.message}`}
                >
                  Dismiss
                </button>
              ) : (
                <span className="muted">Dismissed</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {dismissError && (
        <p role="alert" className="error-text">
          {dismissError}
        </p>
      )}
    </section>
  );
}
