import type { StorageTargetListResponse } from '@isola/contracts';
import { useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useTenantStorage } from '../../../app/tenant-storage';
import { useApiResource } from '../../../lib/useApiResource';
import { targetLocation } from '../../storage-status/RevokedBanner';
import { ErrorNote } from '../common/ErrorNote';
import { ActivatePanel } from './ActivatePanel';
import { ConnectionTestPanel } from './ConnectionTestPanel';
import { SetupKitPanel } from './SetupKitPanel';
import { modeLabel } from './target-labels';
import { TargetStatusBadge } from './TargetStatusBadge';

/** One target, in the order a studio sets it up: the setup kit, the connection test, activation. */
export function TargetPage() {
  const { targetId = '' } = useParams();
  const { state, reload } = useApiResource<StorageTargetListResponse>('/tenant/storage/targets');
  const shell = useTenantStorage();
  const changed = useCallback(() => {
    reload();
    shell.refresh();
  }, [reload, shell]);

  if (state.status === 'loading') return <p aria-busy="true">Loading the target…</p>;
  if (state.status === 'error') return <ErrorNote error={state.error} prefix="The target cannot be loaded" />;
  const target = state.data.items.find((t) => t.id === targetId);
  const active = state.data.items.find((t) => t.active) ?? null;
  if (!target) {
    return (
      <section className="card admin-section">
        <h2>No such storage target</h2>
        <p>
          <Link to="/admin/storage">Back to storage</Link>
        </p>
      </section>
    );
  }

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/admin/storage">Storage</Link> <span aria-hidden="true">/</span> <span>{targetLocation(target)}</span>
      </nav>
      <header className="target-header">
        <h2 className="target-title">
          <span className="mono">{targetLocation(target)}</span>
        </h2>
        <TargetStatusBadge status={target.status} />
        {target.active && <span className="badge badge-accent">Receives uploads</span>}
      </header>
      <dl className="target-facts">
        <div>
          <dt>Kind</dt>
          <dd>{modeLabel(target.mode)}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{target.region}</dd>
        </div>
        <div>
          <dt>Endpoint</dt>
          <dd>{target.endpoint ?? 'AWS'}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd className="mono">{target.roleArn}</dd>
        </div>
      </dl>
      {target.mode === 'isolated' && <SetupKitPanel target={target} onChanged={changed} />}
      {target.mode === 'isolated' && <ConnectionTestPanel target={target} onTested={changed} />}
      <ActivatePanel target={target} active={active} onActivated={changed} />
    </>
  );
}
