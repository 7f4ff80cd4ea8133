import type { AddMemberRequest, MemberDto, MemberListResponse, MembershipRoleName } from '@isola/contracts';
import { type FormEvent, useState } from 'react';
import { useMe } from '../../../app/session';
import { type ApiRequestError, apiRequest } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { toApiRequestError, useApiResource } from '../../../lib/useApiResource';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ErrorNote } from '../common/ErrorNote';
import { Field } from '../common/Field';
import { fieldErrors } from '../common/field-errors';

const ROLES: ReadonlyArray<{ value: MembershipRoleName; label: string }> = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Admin' },
];

/** Titles for the errors an admin can run into here; the API's message says the rest. */
export const MEMBER_ERROR_TITLES: Record<string, string> = {
  LAST_ADMIN: 'Your studio needs at least one admin',
  USER_NOT_FOUND: 'No Isola account has that email',
  ALREADY_MEMBER: 'Already a member',
  MEMBER_NOT_FOUND: 'That person is no longer a member',
};

function MemberError({ error }: { error: ApiRequestError }) {
  const title = MEMBER_ERROR_TITLES[error.code];
  if (!title) return <ErrorNote error={error} />;
  return (
    <div role="alert" className="callout-error member-error" data-code={error.code}>
      <strong>{title}.</strong> {error.message}
    </div>
  );
}

/** The studio's members and roles: add an existing account by email, change a role, remove someone. */
export function MembersPage() {
  const me = useMe();
  const { state, reload } = useApiResource<MemberListResponse>('/tenant/members');
  const [error, setError] = useState<ApiRequestError | null>(null);
  const [status, setStatus] = useState('');
  const [removing, setRemoving] = useState<MemberDto | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      await what();
      setStatus(done);
      reload();
      return true;
    } catch (e) {
      setError(toApiRequestError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const changeRole = (member: MemberDto, role: MembershipRoleName) =>
    void act(
      () => apiRequest<MemberDto>(`/tenant/members/${member.userId}`, { method: 'PATCH', body: { role } }),
      `${member.email} is now ${role === 'admin' ? 'an admin' : 'a member'}.`,
    );

  const remove = async (member: MemberDto) => {
    await act(
      () => apiRequest<void>(`/tenant/members/${member.userId}`, { method: 'DELETE' }),
      `${member.email} was removed from the studio.`,
    );
    setRemoving(null);
  };

  return (
    <>
      <AddMemberForm
        onAdded={(m) => {
          setStatus(`${m.email} was added.`);
          reload();
        }}
      />
      <section className="card admin-section" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <p role="status" className="muted">
          {status}
        </p>
        {error && <MemberError error={error} />}
        {state.status === 'loading' && <p aria-busy="true">Loading members…</p>}
        {state.status === 'error' && <ErrorNote error={state.error} prefix="Members cannot be loaded" />}
        {state.status === 'loaded' && (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.items.map((m) => (
                <tr key={m.userId} data-testid="member" data-email={m.email}>
                  <td>
                    {m.displayName || '—'}
                    {m.userId === me.user.id && <span className="badge">You</span>}
                  </td>
                  <td>{m.email}</td>
                  <td>
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={busy}
                      onChange={(e) => changeRole(m, e.target.value as MembershipRoleName)}
                    >
                      {ROLES.map((r) => (
                        <option key={r.value} value={r.value}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{formatDateTime(m.since)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small button-danger"
                      disabled={busy}
                      onClick={() => setRemoving(m)}
                      aria-label={`Remove ${m.email}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.email ?? ''}?`}
        confirmLabel="Remove"
        busy={busy}
        onConfirm={() => removing && void remove(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>They lose access to the studio’s media at once. Their account stays; you can add them again later.</p>
      </ConfirmDialog>
    </>
  );
}

function AddMemberForm({ onAdded }: { onAdded: (member: MemberDto) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MembershipRoleName>('member');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiRequestError | null>(null);
  const errors = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: AddMemberRequest = { email: email.trim(), role };
      onAdded(await apiRequest<MemberDto>('/tenant/members', { method: 'POST', body }));
      setEmail('');
    } catch (e) {
      setError(toApiRequestError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card admin-section" aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add a member</h2>
      <form className="member-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Email"
          type="email"
          name="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors['email']}
          hint="They need an Isola account already."
        />
        <div className="field">
          <label htmlFor="add-member-role">Role</label>
          <select id="add-member-role" value={role} onChange={(e) => setRole(e.target.value as MembershipRoleName)}>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add member'}
          </button>
        </div>
      </form>
      {error && Object.keys(errors).length === 0 && <MemberError error={error} />}
    </section>
  );
}
