import { ConsoleLogger, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { SystemClock } from '@isola/runtime';
import { loadWorkerConfig } from '../config/env.schema.js';
import type { OutboxRepository } from '../outbox/outbox.repository.js';
import { TranscodeErrorCode, TranscodeException } from './transcode.exception.js';
import { ThrottledProgress, TranscodeProcessor } from './transcode.processor.js';
import type { TranscodeRepository } from './transcode.repository.js';
import type { TranscodeContext, TranscodeOutcome, TranscodeService } from './transcode.service.js';

const MEDIA_ID = '1b4e28ba-2fa1-4d2b-883f-0016d3cca427';

function setUp(run: (context: TranscodeContext) => Promise<TranscodeOutcome>) {
  const calls: string[] = [];
  const service = { transcode: (_id: string, context: TranscodeContext) => run(context) } as unknown as TranscodeService;
  const repository = {
    reportProgress: async (_id: string, percent: number) => void calls.push(`progress ${percent}`),
    markFailed: async (_id: string, reason: string) => void calls.push(`failed ${reason}`),
  } as unknown as TranscodeRepository;
  const outbox = {
    markCompleted: async (id: string) => void calls.push(`completed ${id}`),
    markAttemptFailed: async (id: string, error: string) => void calls.push(`attempt failed ${id}: ${error}`),
  } as unknown as OutboxRepository;
  const config = loadWorkerConfig({ NODE_ENV: 'test', TRANSCODE_PROGRESS_INTERVAL_MS: '50' });
  const processor = new TranscodeProcessor({} as Queue, service, repository, outbox, new SystemClock(), config);
  const job = (attemptsMade = 0, payload: unknown = { mediaId: MEDIA_ID }) =>
    ({
      id: `media:${MEDIA_ID}`,
      data: { outboxId: 'outbox-1', correlationId: 'corr-1', payload },
      opts: { attempts: 3 },
      attemptsMade,
      progress: async (p: number) => void calls.push(`job progress ${p}`),
    }) as unknown as Job<never>;
  return { processor, job, calls };
}

describe('TranscodeProcessor', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('reports progress to the media row and the job, and marks the outbox row completed with the outcome', async () => {
    const { processor, job, calls } = setUp(async (context) => {
      context.onProgress?.(10);
      return { status: 'ready', kind: 'video', renditions: ['proxy'] };
    });
    expect(await processor.handle(job())).toEqual({ status: 'ready', kind: 'video', renditions: ['proxy'] });
    expect(calls).toEqual(['progress 10', 'job progress 10', 'completed outbox-1']);
  });

  it('lets Bull retry a transient failure, and fails the media only when no attempt is left', async () => {
    const transient = () => Promise.reject(new TranscodeException(TranscodeErrorCode.STORAGE_UNAVAILABLE, 'SlowDown'));
    const first = setUp(transient);
    await expect(first.processor.handle(first.job(0))).rejects.toThrow('SlowDown');
    expect(first.calls).toEqual(['attempt failed outbox-1: SlowDown']);

    const last = setUp(transient);
    await expect(last.processor.handle(last.job(2))).rejects.toThrow('SlowDown');
    expect(last.calls).toEqual(['attempt failed outbox-1: SlowDown', 'failed STORAGE_UNAVAILABLE']);
  });

  it('tells the service whether another attempt follows', async () => {
    const seen: (boolean | undefined)[] = [];
    const { processor, job } = setUp(async (context) => {
      seen.push(context.moreAttempts);
      return { status: 'skipped', reason: 'test' };
    });
    for (const attemptsMade of [0, 1, 2]) await processor.handle(job(attemptsMade));
    expect(seen).toEqual([true, true, false]); // attempts: 3
  });

  it('finishes a job whose payload is invalid instead of retrying it', async () => {
    const { processor, job, calls } = setUp(() => Promise.reject(new Error('not called')));
    expect(await processor.handle(job(0, { mediaId: 'nope' }))).toEqual({ status: 'skipped', reason: 'invalid payload' });
    expect(calls).toEqual(['attempt failed outbox-1: invalid payload']);
  });
});

/** ESM jest has no global `jest`: its API comes with import.meta (@jest/globals is not a dependency here). */
const jestApi = (import.meta as unknown as { jest: typeof jest }).jest;

describe('ThrottledProgress', () => {
  // fake timers (they also drive `new Date()`): the schedule is exact whatever the machine's load
  beforeEach(() => jestApi.useFakeTimers({ now: Date.UTC(2026, 0, 1) }));
  afterEach(() => jestApi.useRealTimers());

  it('writes at most once per interval, the latest value winning, never two writes at once', async () => {
    const writes: number[] = [];
    let inFlight = 0;
    let overlapping = false;
    const progress = new ThrottledProgress(40, new SystemClock(), async (p) => {
      inFlight += 1;
      overlapping ||= inFlight > 1;
      writes.push(p);
      await new Promise((r) => setTimeout(r, 10));
      inFlight -= 1;
    });
    for (const p of [1, 2, 3, 4, 5]) progress.report(p);
    expect(writes).toEqual([1]); // the first value goes out at once
    await jestApi.advanceTimersByTimeAsync(39);
    expect(writes).toEqual([1]); // 2–5 wait for the interval to pass
    await jestApi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([1, 5]); // 2–4 superseded by 5
    await jestApi.advanceTimersByTimeAsync(80);
    progress.report(6); // after a quiet interval: written at once
    expect(writes).toEqual([1, 5, 6]);
    progress.report(8); // inside the interval: pending, then dropped by close
    const closing = progress.close();
    await jestApi.advanceTimersByTimeAsync(100);
    await closing;
    progress.report(7);
    await jestApi.advanceTimersByTimeAsync(100);
    expect(writes).toEqual([1, 5, 6]);
    expect(overlapping).toBe(false);
  });
});
