import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '@isola/contracts';
import { Clock } from '@isola/runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { PollingLoop } from '../common/polling-loop.js';
import { ReconcilerRepository } from './reconciler.repository.js';

/** Bull states in which a media's job will still run by itself. */
const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

/**
 * Re-enqueues media stuck in `uploaded`/`transcoding` (DECISIONS.md): a job lost with Redis, or one
 * Bull gave up on after stalls, would otherwise leave them there forever. A media is re-enqueued
 * through the outbox only when its queue job (id `media:<id>`) is gone or finished; the transcode
 * job itself decides the outcome (a grant that expired meanwhile ends it `failed`).
 */
@Injectable()
export class MediaReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MediaReconcilerService.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly repository: ReconcilerRepository,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Media) private readonly queue: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    this.loop = new PollingLoop(
      async () => {
        await this.reconcile();
      },
      config.reconciler.intervalMs,
      (error) => this.logger.warn(`reconciler pass failed, will retry: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.reconciler.enabled) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass; returns the ids of the media re-enqueued. */
  async reconcile(): Promise<string[]> {
    const olderThan = new Date(this.clock.now().getTime() - this.config.reconciler.stuckAfterMs);
    const requeued: string[] = [];
    for (const mediaId of await this.repository.stuckMedia(olderThan, 100)) {
      const job = await this.queue.getJob(`media:${mediaId}`);
      if (job && LIVE_JOB_STATES.has(await job.getState())) continue;
      await this.repository.enqueueTranscode(mediaId);
      requeued.push(mediaId);
    }
    if (requeued.length > 0) this.logger.warn({ msg: 're-enqueued stuck media', count: requeued.length, mediaIds: requeued });
    return requeued;
  }
}
