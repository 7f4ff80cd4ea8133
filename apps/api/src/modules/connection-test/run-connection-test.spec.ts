import { ManualClock } from '@isola/runtime';
import { StorageError, StorageErrorCode } from '@isola/tenant-storage';
import { runConnectionTest, type ConnectionTestStepDefinition, type StepOutcome } from './run-connection-test.js';

type Run = { log: string[] };

function step(
  id: ConnectionTestStepDefinition<Run>['id'],
  needs: ConnectionTestStepDefinition<Run>['needs'],
  answer: StepOutcome | Error,
  clock?: ManualClock,
): ConnectionTestStepDefinition<Run> {
  return {
    id,
    title: `Title of ${id}`,
    needs,
    async run(run) {
      run.log.push(id);
      clock?.advance(25);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const pass: StepOutcome = { outcome: 'pass', detail: 'fine' };
const warn: StepOutcome = { outcome: 'warn', detail: 'meh', hint: 'do this' };
const fail: StepOutcome = { outcome: 'fail', detail: 'broken', hint: 'fix that' };

describe('runConnectionTest', () => {
  it('runs the steps in order, timed with the clock; warnings still count as ok', async () => {
    const clock = new ManualClock();
    const run: Run = { log: [] };
    const result = await runConnectionTest(
      [step('assume-role', [], pass, clock), step('external-id-guard', ['assume-role'], warn, clock)],
      run,
      clock,
    );
    expect(run.log).toEqual(['assume-role', 'external-id-guard']);
    expect(result).toEqual({
      ok: true,
      steps: [
        { id: 'assume-role', title: 'Title of assume-role', outcome: 'pass', detail: 'fine', durationMs: 25 },
        { id: 'external-id-guard', title: 'Title of external-id-guard', outcome: 'warn', detail: 'meh', hint: 'do this', durationMs: 25 },
      ],
    });
  });

  it('skips a step whose prerequisite failed or was skipped, naming it, and keeps running independent ones', async () => {
    const clock = new ManualClock();
    const run: Run = { log: [] };
    const result = await runConnectionTest(
      [
        step('assume-role', [], pass),
        step('bucket', ['assume-role'], fail),
        step('object-roundtrip', ['bucket'], pass),
        step('cors', ['object-roundtrip'], pass),
        step('external-id-guard', ['assume-role'], pass),
        step('tls-only', ['multipart'], pass),
      ],
      run,
      clock,
    );
    expect(run.log).toEqual(['assume-role', 'bucket', 'external-id-guard']);
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.id, s.outcome, s.detail])).toEqual([
      ['assume-role', 'pass', 'fine'],
      ['bucket', 'fail', 'broken'],
      ['object-roundtrip', 'skipped', 'Not run: "Title of bucket" failed.'],
      ['cors', 'skipped', 'Not run: "Title of object-roundtrip" was skipped.'],
      ['external-id-guard', 'pass', 'fine'],
      ['tls-only', 'skipped', 'Not run: "multipart" did not run.'],
    ]);
  });

  it('turns a thrown storage error into a failure with its message, and hides anything else', async () => {
    const clock = new ManualClock();
    const unexpected: unknown[] = [];
    const result = await runConnectionTest(
      [
        step('assume-role', [], new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'STS could not be reached (ECONNREFUSED).')),
        step('bucket', [], new TypeError('secret-ish internals')),
      ],
      { log: [] },
      clock,
      (id, error) => unexpected.push([id, error]),
    );
    expect(result.steps[0]).toMatchObject({ outcome: 'fail', detail: 'STS could not be reached (ECONNREFUSED).' });
    expect(result.steps[1]).toMatchObject({ outcome: 'fail' });
    expect(result.steps[1]?.detail).not.toContain('secret-ish');
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]).toEqual(['bucket', expect.any(TypeError)]);
  });
});
