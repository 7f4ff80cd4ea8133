import type { RegenerateExternalIdResponse, SetupKitResponse, StorageTargetDto } from '@isola/contracts';
import { type FormEvent, useState } from 'react';
import { type ApiRequestError, apiRequest } from '../../../lib/api';
import { toApiRequestError, useApiResource } from '../../../lib/useApiResource';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { CopyButton } from '../common/CopyButton';
import { downloadText, toJsonFile } from '../common/download';
import { ErrorNote } from '../common/ErrorNote';
import { Field } from '../common/Field';
import { fieldErrors } from '../common/field-errors';
import {
  CLOUDFORMATION_FILENAME,
  CLOUDFORMATION_PARAMETERS_FILENAME,
  SETUP_KIT_DOCUMENTS,
  setupKitQuery,
  TERRAFORM_FILENAME,
} from './setup-kit-files';

const NO_OPTIONS = { transitionSourcesAfterDays: '', sourceIps: '', vpcEndpointId: '' };

/**
 * What the studio applies to its AWS account (or S3-compatible service): the ExternalId, Isola's principals,
 * every policy document rendered with this target's values (copy or download), the CloudFormation template
 * and the Terraform module block.
 */
export function SetupKitPanel({ target, onChanged }: { target: StorageTargetDto; onChanged: () => void }) {
  const [draft, setDraft] = useState(NO_OPTIONS);
  const [query, setQuery] = useState('');
  const kit = useApiResource<SetupKitResponse>(`/tenant/storage/targets/${target.id}/setup-kit${query}`);
  const optionErrors = kit.state.status === 'error' ? fieldErrors(kit.state.error) : {};

  const applyOptions = (event: FormEvent) => {
    event.preventDefault();
    setQuery(setupKitQuery(draft));
  };

  return (
    <section className="card admin-section" aria-labelledby="setup-kit-title" id="setup-kit">
      <h2 id="setup-kit-title">Setup kit</h2>
      <p className="muted">
        Create the bucket and the role with these documents (or the CloudFormation template / Terraform module, which apply the same ones),
        then run the connection test.
      </p>

      <form className="kit-options" onSubmit={applyOptions} aria-label="Setup kit options">
        <Field
          label="Move sources to Infrequent Access after (days)"
          hint="0 or empty: never; otherwise 30 or more."
          inputMode="numeric"
          value={draft.transitionSourcesAfterDays}
          onChange={(e) => setDraft({ ...draft, transitionSourcesAfterDays: e.target.value })}
          error={optionErrors['transitionSourcesAfterDays']}
        />
        <Field
          label="Only from Isola’s addresses (CIDR)"
          hint="Comma-separated; empty: any address."
          value={draft.sourceIps}
          onChange={(e) => setDraft({ ...draft, sourceIps: e.target.value })}
          error={optionErrors['sourceIps']}
        />
        <Field
          label="Only through VPC endpoint"
          hint="vpce-…; empty: none."
          value={draft.vpcEndpointId}
          onChange={(e) => setDraft({ ...draft, vpcEndpointId: e.target.value })}
          error={optionErrors['vpcEndpointId']}
        />
        <button type="submit" className="button">
          Update the documents
        </button>
      </form>

      {kit.state.status === 'loading' && <p aria-busy="true">Rendering the setup kit…</p>}
      {kit.state.status === 'error' && <ErrorNote error={kit.state.error} prefix="The setup kit cannot be shown" />}
      {kit.state.status === 'loaded' && (
        <SetupKitBody
          kit={kit.state.data}
          target={target}
          onRegenerated={() => {
            kit.reload();
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function SetupKitBody({ kit, target, onRegenerated }: { kit: SetupKitResponse; target: StorageTargetDto; onRegenerated: () => void }) {
  const cfParameters = toJsonFile(kit.cloudFormation.parameters);
  return (
    <>
      <ExternalIdRow kit={kit} target={target} onRegenerated={onRegenerated} />
      <dl className="kit-facts">
        <dt>Isola’s principals (trusted by the role)</dt>
        <dd>
          <ul className="plain-list">
            {kit.platformPrincipalArns.map((arn) => (
              <li key={arn}>
                <code className="mono">{arn}</code> <CopyButton text={arn} what={`principal ${arn}`} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>Role Isola assumes</dt>
        <dd>
          <code className="mono">{kit.roleArn}</code>
        </dd>
        <dt>Object deletes</dt>
        <dd>{kit.deleteObjects ? 'Allowed (your studio opted in)' : 'Not granted: Isola never deletes objects in your bucket'}</dd>
      </dl>

      <h3>Templates</h3>
      <div className="kit-downloads">
        <button
          type="button"
          className="button"
          onClick={() => downloadText(CLOUDFORMATION_FILENAME, kit.cloudFormation.template, 'application/yaml')}
        >
          Download CloudFormation template (YAML)
        </button>
        <button
          type="button"
          className="button"
          onClick={() => downloadText(CLOUDFORMATION_PARAMETERS_FILENAME, cfParameters, 'application/json')}
        >
          Download CloudFormation parameters (JSON)
        </button>
        <button type="button" className="button" onClick={() => downloadText(TERRAFORM_FILENAME, kit.terraform.moduleUsage, 'text/plain')}>
          Download Terraform module block
        </button>
      </div>
      <details className="kit-document">
        <summary>Terraform module block</summary>
        <div className="document-actions">
          <CopyButton text={kit.terraform.moduleUsage} what="Terraform module block" />
        </div>
        <pre className="code-block" tabIndex={0} aria-label="Terraform module block">
          {kit.terraform.moduleUsage}
        </pre>
      </details>

      <h3>Policy documents</h3>
      <ul className="kit-documents">
        {SETUP_KIT_DOCUMENTS.map((doc) => {
          const json = toJsonFile(kit.documents[doc.name]);
          return (
            <li key={doc.name} className="kit-document" data-document={doc.name}>
              <div className="document-head">
                <div>
                  <h4>{doc.title}</h4>
                  <p className="muted">{doc.purpose}</p>
                </div>
                <div className="document-actions">
                  <CopyButton text={json} what={doc.title} />
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Download ${doc.title} (${doc.filename})`}
                    onClick={() => downloadText(doc.filename, json, 'application/json')}
                  >
                    Download
                  </button>
                </div>
              </div>
              <details>
                <summary>Show the JSON</summary>
                <pre className="code-block" tabIndex={0} aria-label={doc.title}>
                  {json}
                </pre>
              </details>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function ExternalIdRow({ kit, target, onRegenerated }: { kit: SetupKitResponse; target: StorageTargetDto; onRegenerated: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiRequestError | null>(null);
  const [notice, setNotice] = useState('');

  const regenerate = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await apiRequest<RegenerateExternalIdResponse>(`/tenant/storage/targets/${target.id}/external-id`, { method: 'POST' });
      setNotice(
        answer.status === 'pending' && target.status === 'verified'
          ? 'New ExternalId created. Update the role’s trust policy, then run the connection test again.'
          : 'New ExternalId created. Update the role’s trust policy with it.',
      );
      onRegenerated();
    } catch (e) {
      setError(toApiRequestError(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="external-id">
      <p className="external-id-label">ExternalId</p>
      <p>
        <code className="mono" data-testid="external-id">
          {kit.externalId}
        </code>{' '}
        <CopyButton text={kit.externalId} what="ExternalId" />{' '}
        <button type="button" className="button button-small" onClick={() => setConfirming(true)} disabled={target.status === 'active'}>
          Regenerate
        </button>
      </p>
      {target.status === 'active' && (
        <p className="muted">
          An active target keeps its ExternalId: changing it would lock Isola out until the trust policy names the new one.
        </p>
      )}
      <p role="status" className="muted">
        {notice}
      </p>
      {error && <ErrorNote error={error} prefix="The ExternalId was not changed" />}
      <ConfirmDialog
        open={confirming}
        title="Regenerate the ExternalId?"
        confirmLabel="Regenerate"
        busy={busy}
        onConfirm={() => void regenerate()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Isola will send a new ExternalId when it assumes the role. Until the role’s trust policy names the new value, Isola cannot reach
          the bucket{target.status === 'verified' ? ', and the target must pass the connection test again' : ''}.
        </p>
      </ConfirmDialog>
    </div>
  );
}
