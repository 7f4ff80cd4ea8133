import { pipelineItems } from './pipeline-items.js';

/** A promise settled from outside. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('pipelineItems', () => {
  it('runs every item through both stages, in order on one lane, and hands each first stage result on', async () => {
    const events: string[] = [];
    await pipelineItems(
      [1, 2, 3],
      { concurrency: 1, lookahead: 0 },
      {
        first: async (n) => {
          events.push(`first ${n}`);
          return n * 10;
        },
        second: async (carried, n) => {
          events.push(`second ${n} (${carried})`);
        },
      },
    );
    expect(events.filter((e) => e.startsWith('second'))).toEqual(['second 1 (10)', 'second 2 (20)', 'second 3 (30)']);
    expect(events.filter((e) => e.startsWith('first'))).toEqual(['first 1', 'first 2', 'first 3']);
  });

  it("starts a lane's next first stage while its previous second stage is still running, but never two second stages per lane", async () => {
    const secondOfA = deferred();
    const events: string[] = [];
    const run = pipelineItems(
      ['a', 'b', 'c'],
      { concurrency: 1, lookahead: 0 },
      {
        first: async (item) => {
          events.push(`first ${item}`);
          return item;
        },
        second: async (item) => {
          events.push(`second ${item} starts`);
          if (item === 'a') await secondOfA.promise;
          events.push(`second ${item} ends`);
        },
      },
    );
    await settle();
    // b was copied while a's second stage still ran; c waits: b's second stage cannot start before a's ended
    expect(events).toEqual(['first a', 'second a starts', 'first b']);
    secondOfA.resolve();
    await run;
    expect(events).toEqual([
      'first a',
      'second a starts',
      'first b',
      'second a ends',
      'second b starts',
      'second b ends',
      'first c',
      'second c starts',
      'second c ends',
    ]);
  });

  it('keeps at most `concurrency` first stages in flight, and lanes never wait for each other', async () => {
    const gates = new Map([0, 1, 2, 3, 4].map((n) => [n, deferred()]));
    const started: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const run = pipelineItems(
      [0, 1, 2, 3, 4],
      { concurrency: 2, lookahead: 0 },
      {
        first: async (n) => {
          started.push(n);
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await gates.get(n)!.promise;
          inFlight -= 1;
        },
        second: async () => undefined,
      },
    );
    await settle();
    expect(started).toEqual([0, 1]);
    gates.get(1)!.resolve(); // the slow item 0 does not hold the other lane back
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates.get(2)!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates.values()) gate.resolve();
    await run;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(mostInFlight).toBe(2);
  });

  it('prepares the claimed item at once and, once it is prepared, the `lookahead` items after it — each once, in order', async () => {
    const preparing = new Map([0, 1, 2, 3, 4].map((n) => [n, deferred()]));
    const prepared: number[] = [];
    const firsts = new Map([0, 1, 2, 3, 4].map((n) => [n, deferred()]));
    const preparedAtFirst = new Map<number, number[]>();
    const run = pipelineItems(
      [0, 1, 2, 3, 4],
      { concurrency: 1, lookahead: 2 },
      {
        prepare: (n) => {
          prepared.push(n);
          return preparing.get(n)!.promise;
        },
        first: async (n) => {
          preparedAtFirst.set(n, [...prepared]);
          await firsts.get(n)!.promise;
        },
        second: async () => undefined,
      },
    );
    await settle();
    expect(prepared).toEqual([0]); // the lookahead waits until the item the lane works on is prepared
    preparing.get(0)!.resolve();
    await settle();
    expect(prepared).toEqual([0, 1, 2]);
    preparing.get(1)!.reject(new Error('no credential')); // a failed preparation is the item's own business
    firsts.get(0)!.resolve();
    await settle();
    expect(prepared).toEqual([0, 1, 2, 3]);
    for (const gate of [...preparing.values(), ...firsts.values()]) gate.resolve();
    await run;
    expect(prepared).toEqual([0, 1, 2, 3, 4]);
    expect(preparedAtFirst.get(0)).toEqual([0]);
    expect(preparedAtFirst.get(1)).toEqual([0, 1, 2]);
  });

  it('after a failing stage: no lane claims another item, the stages in flight finish, then it rejects with that error', async () => {
    const secondOfA = deferred();
    const firstOfB = deferred();
    const events: string[] = [];
    const run = pipelineItems(
      ['a', 'b', 'c', 'd', 'e'],
      { concurrency: 2, lookahead: 0 },
      {
        first: async (item) => {
          events.push(`first ${item}`);
          if (item === 'b') await firstOfB.promise;
          if (item === 'c') throw new Error('the database went away');
        },
        second: async (_carried, item) => {
          if (item === 'a') await secondOfA.promise;
          events.push(`second ${item} done`);
        },
      },
    );
    const outcome = run.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await settle();
    expect(events).toEqual(['first a', 'first b', 'first c']);
    firstOfB.resolve();
    await settle();
    let settled = false;
    void outcome.then(() => (settled = true));
    await settle();
    expect(settled).toBe(false); // a's second stage is still running: nothing is left behind
    secondOfA.resolve();
    expect(await outcome).toBe('the database went away');
    expect(events).toEqual(['first a', 'first b', 'first c', 'second b done', 'second a done']);
  });

  it('once aborted, claims nothing more and rejects with an AbortError after the stages in flight', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const seconds: string[] = [];
    await expect(
      pipelineItems(
        ['a', 'b', 'c'],
        { concurrency: 1, lookahead: 0, signal: controller.signal },
        {
          first: async (item) => {
            started.push(item);
            if (item === 'a') controller.abort();
          },
          second: async (_carried, item) => {
            seconds.push(item);
          },
        },
      ),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toEqual(['a']);
    expect(seconds).toEqual(['a']);
  });

  it('does nothing for no items, and an abort after the last item is no failure', async () => {
    let calls = 0;
    await pipelineItems(
      [],
      { concurrency: 4, lookahead: 4 },
      {
        prepare: () => {
          calls += 1;
        },
        first: async () => {
          calls += 1;
        },
        second: async () => undefined,
      },
    );
    expect(calls).toBe(0);

    const controller = new AbortController();
    await pipelineItems(
      ['only'],
      { concurrency: 1, lookahead: 0, signal: controller.signal },
      {
        first: async () => controller.abort(),
        second: async () => undefined,
      },
    );
  });
});
