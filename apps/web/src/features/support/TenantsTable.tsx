import type { SupportTenantDto } from '@isola/contracts';
import { formatDateTime } from '../../lib/format';

const MODE_LABELS: Record<SupportTenantDto['storageMode'], string> = {
  hosted: 'Hosted',
  isolated: 'Own bucket',
  none: 'No storage',
};

const TARGET_STATUS_LABELS: Record<NonNullable<SupportTenantDto['activeTarget']>['status'], string> = {
  pending: 'Pending',
  verified: 'Verified',
  active: 'Active',
  revoked: 'Access revoked',
  retired: 'Retired',
};

function Storage({ tenant }: { tenant: SupportTenantDto }) {
  const target = tenant.activeTarget;
  if (!target) return <span className="muted">No active target</span>;
  return (
    <>
      <span
        className="badge status-badge"
        data-status={target.status === 'active' ? 'ready' : target.status === 'revoked' ? 'failed' : 'uploaded'}
      >
        {TARGET_STATUS_LABELS[target.status]}
      </span>{' '}
      <span className="muted">
        {target.provider === 'aws' ? 'AWS' : 'S3-compatible'} · {target.region}
      </span>
      {target.lastCheckAt && <div className="muted small">Checked {formatDateTime(target.lastCheckAt)}</div>}
      {target.revokedAt && <div className="muted small">Revoked {formatDateTime(target.revokedAt)}</div>}
    </>
  );
}

/** Why staff can or cannot see a studio's media: never for a studio's own bucket, only with a grant otherwise. */
function MediaAccess({ tenant }: { tenant: SupportTenantDto }) {
  if (tenant.storageMode === 'isolated') return <span>Not reachable: the studio’s own bucket</span>;
  if (tenant.supportAccess.allowed) {
    return <span>Granted{tenant.supportAccess.until ? ` until ${formatDateTime(tenant.supportAccess.until)}` : ''}</span>;
  }
  return <span className="muted">No grant</span>;
}

/**
 * The studios and their storage, for triage. Deliberately no way into a studio's media from here: no link,
 * no button (and the API refuses isolated tenants' media to staff anyway).
 */
export function TenantsTable({ tenants }: { tenants: SupportTenantDto[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Studios and their storage</caption>
        <thead>
          <tr>
            <th scope="col">Studio</th>
            <th scope="col">Storage</th>
            <th scope="col">Active target</th>
            <th scope="col">Targets</th>
            <th scope="col">Support access to media</th>
          </tr>
        </thead>
        <tbody>
          {tenants.map((tenant) => (
            <tr key={tenant.id} data-testid="support-tenant" data-slug={tenant.slug}>
              <th scope="row">
                {tenant.name}
                <div className="muted small mono">{tenant.slug}</div>
              </th>
              <td>{MODE_LABELS[tenant.storageMode]}</td>
              <td>
                <Storage tenant={tenant} />
              </td>
              <td className="muted">
                {Object.entries(tenant.targetCounts)
                  .map(([status, count]) => `${count} ${status}`)
                  .join(', ') || '—'}
              </td>
              <td>
                <MediaAccess tenant={tenant} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
