import type { AuditEventDto, AuditListResponse, CredentialPurpose } from '@isola/contracts';
import { type FormEvent, useState } from 'react';
import { formatDateTime } from '../../../lib/format';
import { useApiResource } from '../../../lib/useApiResource';
import { ErrorNote } from '../common/ErrorNote';
import { fieldErrors } from '../common/field-errors';
import { type AuditFilterDraft, auditExportHref, auditPagePath, KNOWN_AUDIT_ACTIONS, NO_AUDIT_FILTER } from './audit-query';

export const AUDIT_PAGE_SIZE = 50;

// The contract's `credentialPurposes`, typed against it (a value import would pull zod into this chunk).
const PURPOSES: readonly CredentialPurpose[] = ['upload', 'transcode', 'link', 'migrate', 'delete', 'verify'];

/** Every credential and link Isola minted for the studio, and every admin change: filters, pages, export. */
export function AuditLog() {
  const [draft, setDraft] = useState<AuditFilterDraft>(NO_AUDIT_FILTER);
  const [filter, setFilter] = useState<AuditFilterDraft>(NO_AUDIT_FILTER);
  // Cursors of the pages before this one (the first page has none).
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const { state } = useApiResource<AuditListResponse>(auditPagePath(filter, cursor, AUDIT_PAGE_SIZE));
  const errors = state.status === 'error' ? fieldErrors(state.error) : {};

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
    setCursors([null]);
  };
  const reset = () => {
    setDraft(NO_AUDIT_FILTER);
    setFilter(NO_AUDIT_FILTER);
    setCursors([null]);
  };
  const set = (key: keyof AuditFilterDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });

  return (
    <section className="card admin-section" aria-labelledby="audit-title">
      <div className="section-head">
        <div>
          <h2 id="audit-title">Audit log</h2>
          <p className="muted">Who minted which credential or link, for what, and every change an admin made.</p>
        </div>
        <div className="section-actions">
          <a className="button" href={auditExportHref(filter, 'csv')} download>
            Export CSV
          </a>
          <a className="button" href={auditExportHref(filter, 'json')} download>
            Export JSON
          </a>
        </div>
      </div>

      <form className="audit-filters" onSubmit={apply} aria-label="Audit log filters">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            list="audit-actions"
            value={draft.action}
            onChange={set('action')}
            placeholder="e.g. media.link or upload."
            aria-invalid={errors['action'] ? true : undefined}
            aria-describedby={errors['action'] ? 'audit-action-error' : undefined}
          />
          <datalist id="audit-actions">
            {KNOWN_AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          {errors['action'] && (
            <span id="audit-action-error" className="field-error">
              {errors['action']}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="audit-purpose">Purpose</label>
          <select id="audit-purpose" value={draft.purpose} onChange={set('purpose')}>
            <option value="">Any</option>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" type="date" value={draft.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input
            id="audit-to"
            type="date"
            value={draft.to}
            onChange={set('to')}
            aria-invalid={errors['to'] ? true : undefined}
            aria-describedby={errors['to'] ? 'audit-to-error' : undefined}
          />
          {errors['to'] && (
            <span id="audit-to-error" className="field-error">
              {errors['to']}
            </span>
          )}
        </div>
        <div className="field field-grow">
          <label htmlFor="audit-q">Object key contains</label>
          <input id="audit-q" type="search" value={draft.q} onChange={set('q')} placeholder="a media id, a file name…" />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Apply
          </button>
          <button type="button" className="button button-quiet" onClick={reset}>
            Reset
          </button>
        </div>
      </form>

      <div aria-live="polite" aria-busy={state.status === 'loading' || (state.status === 'loaded' && state.data && state.refreshing)}>
        {state.status === 'loading' && <p>Loading the audit log…</p>}
        {state.status === 'error' && <ErrorNote error={state.error} prefix="The audit log cannot be loaded" />}
        {state.status === 'loaded' && <AuditTable events={state.data.items} />}
      </div>
      <div className="pager">
        <button type="button" className="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button
          type="button"
          className="button"
          disabled={state.status !== 'loaded' || state.data.nextCursor === null}
          onClick={() => state.status === 'loaded' && state.data.nextCursor && setCursors([...cursors, state.data.nextCursor])}
        >
          Older
        </button>
      </div>
    </section>
  );
}

function AuditTable({ events }: { events: AuditEventDto[] }) {
  if (events.length === 0) return <p className="muted">No entries match.</p>;
  return (
    <table className="admin-table audit-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Who</th>
          <th scope="col">Purpose</th>
          <th scope="col">Objects</th>
          <th scope="col">Expires</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-testid="audit-row">
            <td>{formatDateTime(e.createdAt)}</td>
            <td className="mono">{e.action}</td>
            <td>{e.actor?.email ?? (e.actorKind === 'system' ? 'Isola' : e.actorKind === 'staff' ? 'Isola staff' : 'Deleted user')}</td>
            <td>{e.purpose ?? '—'}</td>
            <td>
              {e.objectKeys.length === 0 ? (
                '—'
              ) : (
                <span className="mono" title={e.objectKeys.join('\n')}>
                  {e.objectKeys[0]}
                  {e.objectKeys.length > 1 ? ` +${e.objectKeys.length - 1}` : ''}
                </span>
              )}
            </td>
            <td>{e.expiresAt ? formatDateTime(e.expiresAt) : '—'}</td>
            <td>{e.ip ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
