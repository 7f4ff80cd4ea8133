import type { ActivateTargetResponse } from '@isola/contracts';
import { type ReactNode, useState } from 'react';
import { type ApiRequestError, apiRequest } from '../../../lib/api';
import { toApiRequestError } from '../../../lib/useApiResource';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ErrorNote } from '../common/ErrorNote';

export interface ActivateButtonProps {
  /** A target id, or `hosted` (the studio's hosted storage). */
  targetId: string;
  label: string;
  title: string;
  /** What happens: the dialog's body. */
  explanation: ReactNode;
  disabled?: boolean;
  onActivated: (answer: ActivateTargetResponse) => void;
}

/** "Activate" behind a confirmation that explains the switch and the migration it starts. */
export function ActivateButton({ targetId, label, title, explanation, disabled = false, onActivated }: ActivateButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiRequestError | null>(null);

  const activate = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await apiRequest<ActivateTargetResponse>(`/tenant/storage/targets/${targetId}/activate`, { method: 'POST' });
      setConfirming(false);
      onActivated(answer);
    } catch (e) {
      setError(toApiRequestError(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setConfirming(true)} disabled={disabled}>
        {label}
      </button>
      {error && <ErrorNote error={error} prefix="Not activated" />}
      <ConfirmDialog
        open={confirming}
        title={title}
        confirmLabel={label}
        busy={busy}
        onConfirm={() => void activate()}
        onCancel={() => setConfirming(false)}
      >
        {explanation}
      </ConfirmDialog>
    </>
  );
}
