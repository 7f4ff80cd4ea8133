import type { ConnectionTestResult, ConnectionTestStep, StorageTargetDto } from '@isola/contracts';

/** A revocation check (the worker's re-check, an admin's "Check now", or the denial that revoked the target). */
export interface RevocationCheck {
  ok: boolean;
  at: string | null;
  /** What refused, e.g. "AssumeRole refused (HTTP 403)" or a storage error code. */
  reason: string | null;
  /** Who checked: `recheck` (the worker), `admin`, or the process that saw the denial (`api`, `worker`). */
  by: string | null;
}

export type LastCheck =
  { kind: 'connection-test'; result: ConnectionTestResult } | { kind: 'revocation'; check: RevocationCheck } | { kind: 'none' };

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * `lastCheckResult` holds either a connection test (`{steps, ranAt, ok}`) or a revocation check
 * (`{kind: 'revocation', …}`): tell them apart (anything else is ignored).
 */
export function readLastCheck(target: Pick<StorageTargetDto, 'lastCheckResult'>): LastCheck {
  const value = target.lastCheckResult as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object') return { kind: 'none' };
  if (value['kind'] === 'revocation') {
    return {
      kind: 'revocation',
      check: {
        ok: value['ok'] === true,
        at: text(value['at']),
        reason: text(value['reason']) ?? text(value['outcome']),
        by: text(value['by']) ?? text(value['source']),
      },
    };
  }
  const steps = value['steps'];
  if (!Array.isArray(steps) || !steps.every(isStep)) return { kind: 'none' };
  return { kind: 'connection-test', result: { steps, ranAt: text(value['ranAt']) ?? '', ok: value['ok'] === true } };
}

// A structural check rather than the contract's zod schema: zod stays out of the admin chunk.
function isStep(value: unknown): value is ConnectionTestStep {
  const step = value as Partial<Record<keyof ConnectionTestStep, unknown>> | null;
  return (
    typeof step === 'object' &&
    step !== null &&
    typeof step.id === 'string' &&
    typeof step.title === 'string' &&
    typeof step.detail === 'string' &&
    (step.outcome === 'pass' || step.outcome === 'warn' || step.outcome === 'fail' || step.outcome === 'skipped')
  );
}
