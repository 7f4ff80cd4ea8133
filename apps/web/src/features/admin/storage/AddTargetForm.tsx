import type { CreateStorageTargetRequest, StorageTargetDto } from '@isola/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { type ApiRequestError, apiRequest } from '../../../lib/api';
import { toApiRequestError } from '../../../lib/useApiResource';
import { ErrorNote } from '../common/ErrorNote';
import { Field } from '../common/Field';
import { fieldErrors } from '../common/field-errors';

const EMPTY = { bucket: '', region: '', prefix: '', roleArn: '', endpoint: '' };
type Draft = typeof EMPTY;

/** The form's inputs in order; each is a `Field` bound to its draft key and to the API's error for it. */
const FIELDS: ReadonlyArray<{ name: keyof Draft; label: string; required?: boolean; hint?: string; autoComplete?: string }> = [
  { name: 'bucket', label: 'Bucket', required: true, autoComplete: 'off' },
  { name: 'region', label: 'Region', required: true, hint: 'e.g. eu-west-1' },
  { name: 'prefix', label: 'Prefix (optional)', hint: "A folder inside the bucket for Isola's media; empty: the whole bucket." },
  { name: 'roleArn', label: 'Role ARN', required: true, hint: 'arn:aws:iam::123456789012:role/isola-storage' },
  { name: 'endpoint', label: 'Endpoint (optional)', hint: 'For S3-compatible services only; empty: AWS.' },
];

/** The request body: optional fields left out when empty. */
export function toCreateRequest(draft: Draft): CreateStorageTargetRequest {
  const body: CreateStorageTargetRequest = { bucket: draft.bucket.trim(), region: draft.region.trim(), roleArn: draft.roleArn.trim() };
  if (draft.prefix.trim() !== '') body.prefix = draft.prefix.trim();
  if (draft.endpoint.trim() !== '') body.endpoint = draft.endpoint.trim();
  return body;
}

/** Adds an isolated target (the studio's bucket and the role Isola assumes); the API checks every field. */
export function AddTargetForm({ onCreated }: { onCreated: (target: StorageTargetDto) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiRequestError | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(error);
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await apiRequest<StorageTargetDto>('/tenant/storage/targets', { method: 'POST', body: toCreateRequest(draft) }));
    } catch (e) {
      const apiError = toApiRequestError(e);
      setError(apiError);
      // Take the keyboard to the first field the API refused.
      const first = Object.keys(fieldErrors(apiError))[0];
      if (first) requestAnimationFrame(() => form.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card admin-section" aria-labelledby="add-target-title">
      <h2 id="add-target-title">Add an isolated target</h2>
      <p className="muted">
        Your studio’s own bucket, reached through a role in your account that trusts Isola. Nothing changes until you verify and activate
        it.
      </p>
      <form ref={form} className="target-form" onSubmit={(e) => void submit(e)} noValidate>
        {FIELDS.map(({ name, ...field }) => (
          <Field key={name} name={name} {...field} value={draft[name]} onChange={set(name)} error={errors[name]} />
        ))}
        {errors['provider'] && <p className="error-text">{errors['provider']}</p>}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add target'}
          </button>
        </div>
      </form>
      {error && Object.keys(errors).length > 0 && (
        <p role="alert" className="error-text">
          The target was not added: {Object.keys(errors).length === 1 ? 'one field needs' : 'some fields need'} a change (see above).
        </p>
      )}
      {error && Object.keys(errors).length === 0 && <ErrorNote error={error} prefix="The target was not added" />}
    </section>
  );
}
