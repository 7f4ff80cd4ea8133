import type { StorageTargetDto, VerifyTargetResponse } from '@isola/contracts';
import { useState } from 'react';
import { type ApiRequestError, apiRequest } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { toApiRequestError } from '../../../lib/useApiResource';
import { ErrorNote } from '../common/ErrorNote';
import { ConnectionTestSteps, summarizeSteps } from './ConnectionTestSteps';
import { readLastCheck } from './last-check';

/**
 * Runs the connection test (real calls with a `verify` credential) and shows each step with its outcome,
 * detail and fix hint; until then, the last stored result.
 */
export function ConnectionTestPanel({ target, onTested }: { target: StorageTargetDto; onTested: () => void }) {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<VerifyTargetResponse | null>(null);
  const [error, setError] = useState<ApiRequestError | null>(null);
  const last = readLastCheck(target);
  const shown = result ?? (last.kind === 'connection-test' ? last.result : null);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await apiRequest<VerifyTargetResponse>(`/tenant/storage/targets/${target.id}/verify`, { method: 'POST' }));
      onTested();
    } catch (e) {
      setError(toApiRequestError(e));
      onTested();
    } finally {
      setRunning(false);
    }
  };

  const verdict = shown ? (shown.ok ? 'The target works with Isola' : 'The target does not work with Isola yet') : null;
  return (
    <section className="card admin-section" aria-labelledby="connection-test-title" id="connection-test">
      <div className="section-head">
        <div>
          <h2 id="connection-test-title">Connection test</h2>
          <p className="muted">
            Isola assumes the role and makes real calls on a probe prefix: each step says what it found and how to fix what failed.
          </p>
        </div>
        <button
          type="button"
          className="button button-primary"
          onClick={() => void run()}
          disabled={running || target.status === 'retired'}
        >
          {running ? 'Testing…' : shown ? 'Run the test again' : 'Run the connection test'}
        </button>
      </div>
      <div role="status" aria-live="polite" className="test-summary">
        {running && <p aria-busy="true">Running the connection test…</p>}
        {!running && shown && (
          <p>
            <strong data-ok={shown.ok}>{verdict}</strong>: {summarizeSteps(shown.steps)}.{' '}
            <span className="muted">{result ? 'Just now' : `Last run ${formatDateTime(shown.ranAt)}`}</span>
          </p>
        )}
      </div>
      {error && <ErrorNote error={error} prefix="The test could not run" />}
      {!shown && !running && last.kind === 'revocation' && (
        <p className="muted">
          Last check: {last.check.ok ? 'access confirmed' : `access refused${last.check.reason ? ` (${last.check.reason})` : ''}`}
          {last.check.at ? `, ${formatDateTime(last.check.at)}` : ''}.
        </p>
      )}
      {!shown && !running && last.kind === 'none' && <p className="muted">The test has not run on this target yet.</p>}
      {shown && <ConnectionTestSteps steps={shown.steps} />}
    </section>
  );
}
