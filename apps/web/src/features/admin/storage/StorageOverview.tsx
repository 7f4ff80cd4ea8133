import type { MigrationListResponse, StorageTargetDto, StorageTargetListResponse } from '@isola/contracts';
import { useCallback } from 'react';
import { Link } from 'react-router';
import { useTenantStorage } from '../../../app/tenant-storage';
import { formatDateTime } from '../../../lib/format';
import { useApiResource } from '../../../lib/useApiResource';
import { targetLocation } from '../../storage-status/RevokedBanner';
import { ErrorNote } from '../common/ErrorNote';
import { ActivateButton } from './ActivateButton';
import { MigrationProgress } from './MigrationProgress';
import { NoticesPanel } from './NoticesPanel';
import { modeLabel } from './target-labels';
import { TargetStatusBadge } from './TargetStatusBadge';

/** Storage at a glance: where media live now, the latest migration, every target, and Isola's notices. */
export function StorageOverview() {
  const targets = useApiResource<StorageTargetListResponse>('/tenant/storage/targets');
  const migrations = useApiResource<MigrationListResponse>('/tenant/migrations');
  const shell = useTenantStorage();
  const reloadAll = useCallback(() => {
    targets.reload();
    migrations.reload();
    shell.refresh();
  }, [targets, migrations, shell]);

  if (targets.state.status === 'loading') return <p aria-busy="true">Loading storage…</p>;
  if (targets.state.status === 'error') return <ErrorNote error={targets.state.error} prefix="Storage cannot be loaded" />;
  const list = targets.state.data.items;
  const active = list.find((t) => t.active) ?? null;
  const latest = migrations.state.status === 'loaded' ? (migrations.state.data.items[0] ?? null) : null;

  return (
    <>
      <section className="card admin-section" aria-labelledby="storage-mode-title">
        <div className="section-head">
          <div>
            <h2 id="storage-mode-title">Where your media live</h2>
            {active ? (
              <p className="storage-mode" data-testid="storage-mode">
                <strong>{modeLabel(active.mode)}</strong> · <span className="mono">{targetLocation(active)}</span>{' '}
                <TargetStatusBadge status={active.status} />
              </p>
            ) : (
              <p className="muted">No active target: uploads are not possible until one is activated.</p>
            )}
          </div>
          <div className="section-actions">
            <Link className="button" to="/admin/storage/new">
              Add an isolated target
            </Link>
            {active?.mode === 'isolated' && (
              <ActivateButton
                targetId="hosted"
                label="Switch to hosted storage"
                title="Switch back to hosted storage?"
                onActivated={reloadAll}
                explanation={
                  <p>
                    New uploads go to Isola’s hosted storage at once, and Isola moves every media from {targetLocation(active)} there,
                    checking each copy before switching it. Links keep working throughout. Copies in your bucket are deleted only if your
                    studio opted in to deletes.
                  </p>
                }
              />
            )}
          </div>
        </div>
      </section>

      {latest && (
        <section className="card admin-section" aria-labelledby="latest-migration-title">
          <h2 id="latest-migration-title">Latest migration</h2>
          <MigrationProgress key={latest.id} id={latest.id} onFinished={targets.reload} />
        </section>
      )}

      <section className="card admin-section" aria-labelledby="targets-title">
        <h2 id="targets-title">Storage targets</h2>
        <TargetsTable targets={list} />
      </section>

      <NoticesPanel />
    </>
  );
}

function TargetsTable({ targets }: { targets: StorageTargetDto[] }) {
  if (targets.length === 0) return <p className="muted">No storage target yet.</p>;
  return (
    <table className="admin-table">
      <thead>
        <tr>
          <th scope="col">Location</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Last check</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {targets.map((t) => (
          <tr key={t.id} data-testid="storage-target" data-target-id={t.id} data-status={t.status}>
            <td>
              <span className="mono">{targetLocation(t)}</span>
              {t.active && <span className="badge badge-accent">Receives uploads</span>}
              {t.endpoint && <div className="muted small">{t.endpoint}</div>}
            </td>
            <td>{modeLabel(t.mode)}</td>
            <td>
              <TargetStatusBadge status={t.status} />
            </td>
            <td>{t.lastCheckAt ? formatDateTime(t.lastCheckAt) : <span className="muted">Never</span>}</td>
            <td>
              {t.mode === 'isolated' || !t.active ? (
                <Link to={`/admin/storage/${t.id}`} aria-label={`Open ${targetLocation(t)}`}>
                  Open
                </Link>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
