export interface PipelineOptions {
  /** Lanes: items in their first stage at once. */
  concurrency: number;
  /** How many items beyond the one a lane claims are prepared already (0: each item as it is claimed). */
  lookahead: number;
  /** Once aborted, no lane claims another item (the stages in flight finish; the run rejects with an AbortError). */
  signal?: AbortSignal;
}

export interface PipelineStages<T, C> {
  /**
   * Called once per item, in order (prefetching; must not throw): for the item a lane claims, at once
   * if it was not prepared yet; for the `lookahead` items after it, once that item is prepared (the
   * promise it returned settled), so the items the lanes start first are not slowed by those that
   * follow.
   */
  prepare?: (item: T, index: number) => PromiseLike<unknown> | void;
  /** The lane's own work: the lane claims its next item once this resolves. */
  first: (item: T, index: number) => Promise<C>;
  /**
   * Runs behind the lane, with what `first` returned, while the lane's next item is in its first
   * stage; a lane has at most one second stage in flight (it waits for the previous one before it
   * starts the next, so the stages of one lane finish in order).
   */
  second: (carried: C, item: T, index: number) => Promise<void>;
}

/**
 * Runs every item through two stages on `concurrency` lanes: each lane claims the next item, runs its
 * first stage, hands it to the second stage and claims the next item at once, so a lane is never idle
 * while the previous item's second stage runs, and no lane waits for another (no barrier between
 * items). `prepare` runs `lookahead` items ahead of the lanes.
 *
 * A stage that throws stops every lane from claiming more items; the call settles once every stage in
 * flight has (nothing keeps running after it returns) and rejects with the first error.
 */
export async function pipelineItems<T, C>(items: readonly T[], options: PipelineOptions, stages: PipelineStages<T, C>): Promise<void> {
  const { signal } = options;
  let next = 0;
  const readiness: Array<PromiseLike<unknown> | void> = [];
  let failure: { error: unknown } | undefined;

  const prepareThrough = (last: number) => {
    if (stages.prepare === undefined) return;
    for (let index = readiness.length; index <= Math.min(last, items.length - 1); index += 1) {
      readiness.push(stages.prepare(items[index] as T, index));
    }
  };
  const prepareAhead = (index: number) => {
    const ahead = () => {
      if (failure === undefined && !signal?.aborted) prepareThrough(index + Math.max(0, options.lookahead));
    };
    prepareThrough(index);
    void Promise.resolve(readiness[index]).then(ahead, ahead);
  };

  const lane = async (): Promise<void> => {
    let behind: Promise<void> | undefined;
    try {
      for (;;) {
        if (failure !== undefined || next >= items.length) break;
        throwIfAborted(signal);
        const index = next++;
        const item = items[index] as T;
        prepareAhead(index);
        const carried = await stages.first(item, index);
        if (behind !== undefined) await behind;
        behind = stages.second(carried, item, index);
        behind.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
      }
      if (behind !== undefined) await behind;
    } catch (error) {
      failure ??= { error };
      if (behind !== undefined) await behind.catch(() => undefined);
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, lane));
  if (failure !== undefined) throw failure.error;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The migration job was stopped (shutting down); it is released for a retry.', 'AbortError');
}
