import type { MigrationDto } from '@isola/contracts';
import { useEffect } from 'react';
import { formatBytes, formatDateTime } from '../../../lib/format';
import { useApiResource } from '../../../lib/useApiResource';
import { usePolling } from '../../../lib/usePolling';
import { ErrorNote } from '../common/ErrorNote';
import { targetLocation } from '../../storage-status/RevokedBanner';

export const MIGRATION_POLL_MS = 1500;

export function isMigrationRunning(migration: Pick<MigrationDto, 'status'>): boolean {
  return migration.status === 'pending' || migration.status === 'running';
}

const STATUS_TEXT: Record<MigrationDto['status'], string> = {
  pending: 'Migration starting',
  running: 'Migration in progress',
  completed: 'Migration complete',
  failed: 'Migration stopped with failures',
};

/** A migration's progress, polled while it runs: %, objects, bytes, failed media; then its outcome. */
export function MigrationProgress({
  id,
  onFinished,
  pollMs = MIGRATION_POLL_MS,
}: {
  id: string;
  onFinished?: () => void;
  pollMs?: number;
}) {
  const { state, reload } = useApiResource<MigrationDto>(`/tenant/migrations/${id}`);
  const migration = state.status === 'loaded' ? state.data : null;
  const running = migration !== null && isMigrationRunning(migration);
  usePolling(running, reload, pollMs);

  const finished = migration !== null && !running;
  useEffect(() => {
    if (finished) onFinished?.();
  }, [finished, onFinished]);

  if (state.status === 'loading') return <p aria-busy="true">Loading the migration…</p>;
  if (state.status === 'error') return <ErrorNote error={state.error} prefix="The migration cannot be loaded" />;
  return <MigrationView migration={state.data} />;
}

export function MigrationView({ migration }: { migration: MigrationDto }) {
  const m = migration;
  const failedItems = m.failedItems ?? [];
  return (
    <div className="migration" data-testid="migration" data-status={m.status}>
      <p className="migration-route">
        <span className="mono">{targetLocation(m.from)}</span> <span aria-hidden="true">→</span>
        <span className="visually-hidden">to</span> <span className="mono">{targetLocation(m.to)}</span>
      </p>
      <p role="status" className="migration-status" data-status={m.status}>
        <strong>{STATUS_TEXT[m.status]}</strong>
        {m.status === 'completed' && m.finishedAt && <span className="muted"> · finished {formatDateTime(m.finishedAt)}</span>}
      </p>
      <div className="migration-bar">
        <progress max={100} value={m.percent} aria-label="Migration progress" aria-valuetext={`${m.percent}%`} />
        <span className="migration-percent" data-testid="migration-percent">
          {m.percent}%
        </span>
      </div>
      <dl className="migration-facts">
        <div>
          <dt>Objects</dt>
          <dd>
            {m.copiedObjects} of {m.totalObjects}
          </dd>
        </div>
        <div>
          <dt>Bytes</dt>
          <dd>
            {formatBytes(m.copiedBytes)} of {formatBytes(m.totalBytes)}
          </dd>
        </div>
        <div>
          <dt>Media</dt>
          <dd>
            {m.items.switched} moved, {m.items.pending} waiting
            {m.items.skipped > 0 ? `, ${m.items.skipped} skipped` : ''}
          </dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-failed={m.failedObjects > 0}>
            {m.failedObjects} {m.failedObjects === 1 ? 'object' : 'objects'} ({m.items.failed} media)
          </dd>
        </div>
      </dl>
      {m.status === 'completed' && (
        <p className="muted">
          Every media now lives in the new location and links kept working throughout.{' '}
          {m.deleteSources
            ? m.sourcesDeletedAt
              ? 'The old copies have been deleted.'
              : `The old copies are deleted after the grace period${m.deleteSourcesAfter ? ` (${formatDateTime(m.deleteSourcesAfter)})` : ''}.`
            : 'The old copies are kept in the old location.'}
        </p>
      )}
      {m.lastError && m.status !== 'completed' && <p className="error-text">Last error: {m.lastError}</p>}
      {failedItems.length > 0 && (
        <>
          <h3>Media that could not be moved</h3>
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Media</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {failedItems.map((item) => (
                <tr key={item.mediaId}>
                  <td>{item.filename ?? <span className="mono">{item.mediaId}</span>}</td>
                  <td>{item.attempts}</td>
                  <td>{item.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
