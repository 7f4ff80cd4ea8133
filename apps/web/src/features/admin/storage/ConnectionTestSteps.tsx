import type { ConnectionTestOutcome, ConnectionTestStep } from '@isola/contracts';

export const OUTCOMES: Record<ConnectionTestOutcome, { label: string; icon: string }> = {
  pass: { label: 'Passed', icon: '✓' },
  warn: { label: 'Warning', icon: '!' },
  fail: { label: 'Failed', icon: '✕' },
  skipped: { label: 'Skipped', icon: '–' },
};

/** One line per step: outcome (icon and word), title, what was observed, and how to fix it. */
export function ConnectionTestSteps({ steps }: { steps: readonly ConnectionTestStep[] }) {
  return (
    <ol className="test-steps">
      {steps.map((step) => {
        const outcome = OUTCOMES[step.outcome];
        return (
          <li key={step.id} className="test-step" data-outcome={step.outcome} data-step={step.id} data-testid="test-step">
            <span className="step-icon" aria-hidden="true">
              {outcome.icon}
            </span>
            <div className="step-body">
              <p className="step-head">
                <span className="step-outcome">{outcome.label}</span>
                <span className="step-title">{step.title}</span>
              </p>
              <p className="step-detail">{step.detail}</p>
              {step.hint && (
                <p className="step-hint">
                  <strong>How to fix:</strong> {step.hint}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** "6 passed, 2 warnings" — the outcomes counted, in a fixed order. */
export function summarizeSteps(steps: readonly ConnectionTestStep[]): string {
  const count = (o: ConnectionTestOutcome) => steps.filter((s) => s.outcome === o).length;
  const parts = [
    [count('pass'), 'passed', 'passed'],
    [count('warn'), 'warning', 'warnings'],
    [count('fail'), 'failed', 'failed'],
    [count('skipped'), 'skipped', 'skipped'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}
