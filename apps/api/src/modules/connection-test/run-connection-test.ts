import type { ConnectionTestStep, ConnectionTestStepId } from '@isola/contracts';
import type { Clock } from '@isola/runtime';
import { isStorageError } from '@isola/tenant-storage';

/** What a step found (the runner adds its id, title and duration). */
export interface StepOutcome {
  outcome: 'pass' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

/** One step of the connection test: a real call (or a few) against the target, over a shared run state. */
export interface ConnectionTestStepDefinition<Run> {
  id: ConnectionTestStepId;
  title: string;
  /** Steps that must have run (pass or warn) first; otherwise this one is `skipped`. */
  needs: readonly ConnectionTestStepId[];
  run(run: Run): Promise<StepOutcome>;
}

export interface ConnectionTestRun {
  steps: ConnectionTestStep[];
  /** No step failed (warnings and skips after a pass allowed — a skip only follows a failure). */
  ok: boolean;
}

/**
 * Runs the steps in order, each timed with the clock. A step whose prerequisites failed or were
 * skipped is not run (`skipped`, naming the step it waited for). A step that throws instead of
 * answering fails with the error's message (storage errors carry safe, human messages; anything
 * else is reported without its text, which could hold anything, and handed to `onUnexpected`).
 */
export async function runConnectionTest<Run>(
  definitions: readonly ConnectionTestStepDefinition<Run>[],
  run: Run,
  clock: Clock,
  onUnexpected: (step: ConnectionTestStepId, error: unknown) => void = () => undefined,
): Promise<ConnectionTestRun> {
  const steps: ConnectionTestStep[] = [];
  const outcomes = new Map<ConnectionTestStepId, ConnectionTestStep['outcome']>();

  for (const definition of definitions) {
    const blocker = definition.needs.find((id) => outcomes.get(id) !== 'pass' && outcomes.get(id) !== 'warn');
    if (blocker !== undefined) {
      const title = definitions.find((d) => d.id === blocker)?.title ?? blocker;
      const why = outcomes.has(blocker)
        ? `"${title}" ${outcomes.get(blocker) === 'fail' ? 'failed' : 'was skipped'}`
        : `"${title}" did not run`;
      steps.push({ id: definition.id, title: definition.title, outcome: 'skipped', detail: `Not run: ${why}.`, durationMs: 0 });
      outcomes.set(definition.id, 'skipped');
      continue;
    }

    const started = clock.now().getTime();
    let result: StepOutcome;
    try {
      result = await definition.run(run);
    } catch (error) {
      if (!isStorageError(error)) onUnexpected(definition.id, error);
      result = {
        outcome: 'fail',
        detail: isStorageError(error) ? error.message : 'Isola could not run this step (an internal error, logged for the operators).',
        hint: 'Run the test again; if this step keeps failing the same way, contact Isola support with the time of the test.',
      };
    }
    const durationMs = Math.max(0, Math.round(clock.now().getTime() - started));
    steps.push({
      id: definition.id,
      title: definition.title,
      outcome: result.outcome,
      detail: result.detail,
      ...(result.hint === undefined ? {} : { hint: result.hint }),
      durationMs,
    });
    outcomes.set(definition.id, result.outcome);
  }

  return { steps, ok: steps.every((step) => step.outcome !== 'fail') };
}
