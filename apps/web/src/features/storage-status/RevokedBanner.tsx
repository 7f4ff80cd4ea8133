import type { StorageTargetDto, TargetRecheckResponse } from '@isola/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { apiRequest } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { toApiRequestError } from '../../lib/useApiResource';
import './storage-status.css';

/** `bucket` or `bucket/prefix`: where a target's media live. */
export function targetLocation(target: Pick<StorageTargetDto, 'bucket' | 'prefix'>): string {
  return target.prefix ? `${target.bucket}/${target.prefix}` : target.bucket;
}

/**
 * Shown to studio admins on every page while Isola cannot reach one of the studio's buckets: what happened,
 * that nothing is lost, what to do, and a "Check now" that asks the API to try the role again.
 */
export function RevokedBanner({ targets, onChecked }: { targets: readonly StorageTargetDto[]; onChecked: () => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  if (targets.length === 0) return null;

  const checkNow = async () => {
    setBusy(true);
    setMessage('Checking…');
    const answers: string[] = [];
    for (const target of targets) {
      try {
        const result = await apiRequest<TargetRecheckResponse>(`/tenant/storage/targets/${target.id}/recheck`, { method: 'POST' });
        answers.push(result.message);
      } catch (error) {
        answers.push(toApiRequestError(error).message);
      }
    }
    setMessage(answers.join(' '));
    setBusy(false);
    onChecked();
  };

  const plural = targets.length > 1;
  return (
    <section className="revoked-banner" aria-labelledby="revoked-banner-title" data-testid="revoked-banner">
      <h2 id="revoked-banner-title">Isola has lost access to {plural ? 'your studio’s buckets' : 'your studio’s bucket'}</h2>
      <ul className="revoked-targets">
        {targets.map((t) => (
          <li key={t.id}>
            <span className="mono">{targetLocation(t)}</span>
            {t.revokedAt && <> since {formatDateTime(t.revokedAt)}</>}: Isola can no longer assume the role{' '}
            <span className="mono">{t.roleArn}</span> (it was deleted, or no longer trusts Isola).{' '}
            <Link to={`/admin/storage/${t.id}`}>Open its setup kit</Link>
          </li>
        ))}
      </ul>
      <p>
        <strong>Nothing is lost.</strong> Your media stay in your bucket, untouched. While access is missing, Isola cannot play, download or
        upload media stored there, and issues no links for them.
      </p>
      <p>
        <strong>What to do:</strong> restore the role with the setup kit’s trust and permission policies, then choose Check now. Isola also
        checks by itself and returns the bucket to service as soon as it can reach it.
      </p>
      <div className="revoked-actions">
        <button type="button" className="button button-primary" onClick={() => void checkNow()} disabled={busy}>
          Check now
        </button>
        <p className="revoked-result" role="status" aria-live="polite">
          {message}
        </p>
      </div>
    </section>
  );
}
