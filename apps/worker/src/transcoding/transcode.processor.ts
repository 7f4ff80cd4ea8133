import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { JobName, QueueName, jobPayloadSchemas, type JobEnvelope } from '@isola/contracts';
import { Clock } from '@isola/runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { OutboxRepository } from '../outbox/outbox.repository.js';
import { TranscodeErrorCode, isTranscodeException } from './transcode.exception.js';
import { TranscodeRepository } from './transcode.repository.js';
import { TranscodeService, type TranscodeOutcome } from './transcode.service.js';

type TranscodeJob = Job<JobEnvelope<typeof JobName.MediaTranscode>>;

/**
 * `Media.Transcode` jobs from the media queue (job id `media:<mediaId>`: Bull never runs two for one
 * media at once). Bull glue only: progress to the media row and the job (throttled), the outbox row,
 * retries and shutdown; the work is TranscodeService's.
 *
 * Registered with `queue.process()` at bootstrap rather than `@Process()`: the concurrency is a
 * config value, which a decorator (evaluated when the class is defined) cannot read.
 *
 * Shutdown: the worker stops taking jobs, gives running ones `WORKER_SHUTDOWN_GRACE_MS` to finish,
 * then aborts them (ffmpeg killed, scratch wiped) and releases them: the attempt fails and Bull
 * retries it after the backoff on another worker, the media staying `transcoding`.
 */
@Injectable()
export class TranscodeProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TranscodeProcessor.name);
  private readonly running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private registered = false;
  private closing = false;

  constructor(
    @InjectQueue(QueueName.Media) private readonly queue: Queue,
    private readonly service: TranscodeService,
    private readonly repository: TranscodeRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.transcode.enabled) return;
    this.registered = true;
    this.queue
      .process(JobName.MediaTranscode, this.config.concurrency, (job: TranscodeJob) => this.handle(job))
      .catch((error: unknown) => this.logger.error(`the media queue stopped processing: ${(error as Error).message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (!this.registered) return;
    await this.queue.pause(true, true).catch(() => undefined); // this worker takes no new job
    if (this.running.size === 0) return;
    this.logger.log(`waiting up to ${this.config.queue.shutdownGraceMs} ms for ${this.running.size} transcode job(s)`);
    const timer = setTimeout(() => {
      for (const { controller } of this.running.values()) controller.abort();
    }, this.config.queue.shutdownGraceMs);
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    clearTimeout(timer);
  }

  /** One job. Resolves with the outcome (ready, failed for good, skipped); throws to have Bull retry. */
  async handle(job: TranscodeJob): Promise<TranscodeOutcome> {
    const { outboxId, correlationId } = job.data;
    const payload = jobPayloadSchemas[JobName.MediaTranscode].safeParse(job.data.payload);
    if (!payload.success) {
      // retrying cannot fix a payload: record it and finish the job
      this.logger.error({ msg: 'Media.Transcode job with an invalid payload', jobId: job.id, correlationId });
      await this.outbox.markAttemptFailed(outboxId, 'invalid payload').catch(() => undefined);
      return { status: 'skipped', reason: 'invalid payload' };
    }
    const { mediaId } = payload.data;
    const controller = new AbortController();
    if (this.closing) controller.abort();
    const progress = new ThrottledProgress(this.config.transcode.progressIntervalMs, this.clock, async (percent) => {
      await Promise.all([this.repository.reportProgress(mediaId, percent), job.progress(percent)]);
    });
    const work = this.service.transcode(mediaId, {
      correlationId,
      signal: controller.signal,
      onProgress: (p) => progress.report(p),
      moreAttempts: job.attemptsMade + 1 < (job.opts.attempts ?? 1),
    });
    const id = String(job.id);
    this.running.set(id, { controller, done: work.catch(() => undefined) });
    try {
      const outcome = await work;
      await progress.close();
      await this.outbox
        .markCompleted(outboxId)
        .catch((error: unknown) => this.logger.warn(`outbox ${outboxId}: ${(error as Error).message}`));
      this.logger.log({ msg: 'transcode finished', mediaId, correlationId, ...outcome });
      return outcome;
    } catch (error) {
      await progress.close();
      const message = error instanceof Error ? error.message : String(error);
      const attempts = job.opts.attempts ?? 1;
      const final = !controller.signal.aborted && job.attemptsMade + 1 >= attempts;
      this.logger.warn({
        msg: final ? 'transcode failed, no retries left' : 'transcode attempt failed, will retry',
        mediaId,
        correlationId,
        attempt: job.attemptsMade + 1,
        error: message,
      });
      await this.outbox.markAttemptFailed(outboxId, message).catch(() => undefined);
      if (final) await this.repository.markFailed(mediaId, isTranscodeException(error) ? error.code : TranscodeErrorCode.TRANSCODE_FAILED);
      throw error;
    } finally {
      this.running.delete(id);
    }
  }
}

/**
 * Progress writes at most every `intervalMs`, never two at once, the latest value winning; a
 * failed write is only logged (progress is informative, the outcome is what counts).
 */
export class ThrottledProgress {
  private lastWrite = Number.NEGATIVE_INFINITY;
  private latest: number | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly write: (percent: number) => Promise<void>,
  ) {}

  report(percent: number): void {
    if (this.closed) return;
    this.latest = percent;
    this.schedule();
  }

  /** Stops writing; waits for a write in flight. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  private schedule(): void {
    if (this.inFlight !== undefined || this.timer !== undefined) return;
    const wait = this.lastWrite + this.intervalMs - this.clock.now().getTime();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    const percent = this.latest;
    if (percent === undefined || this.closed) return;
    this.latest = undefined;
    this.lastWrite = this.clock.now().getTime();
    this.inFlight = this.write(percent)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = undefined;
        if (this.latest !== undefined) this.schedule();
      });
  }
}
