import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { isJobName, jobIdFor, parseJobPayload, queueForJob, type JobEnvelope, type JobItem } from '@isola/contracts';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { PollingLoop } from '../common/polling-loop.js';
import { OutboxRepository, type PendingMessage } from './outbox.repository.js';
import { withTimeout } from '../common/with-timeout.js';

/**
 * Moves outbox rows to their Bull queues. Runs in the worker only (DECISIONS.md: the API runs no
 * loops). A row is marked relayed in the same transaction that locked it, after `queue.add`
 * succeeded; a crash in between re-relays it, which Bull ignores because the job id is the same.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly moduleRef: ModuleRef,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    this.loop = new PollingLoop(
      async () => {
        const n = await this.relayPending();
        if (n > 0) this.logger.debug(`relayed ${n} outbox message(s)`);
      },
      config.outbox.pollMs,
      (error) => this.logger.warn(`outbox relay failed, will retry: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.outbox.enabled) this.loop.start(0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass: relays due rows until none are left. Returns how many were relayed. */
  async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.outbox.relayBatch(this.config.outbox.batchSize, (rows) =>
        withTimeout(this.addToQueues(rows), this.config.outbox.relayTimeoutMs, 'the queue (Redis) did not accept the jobs'),
      );
      total += n;
      if (n < this.config.outbox.batchSize) return total;
    }
  }

  private async addToQueues(rows: PendingMessage[]): Promise<void> {
    for (const row of rows) {
      if (!isJobName(row.jobName)) {
        this.logger.error(`outbox message ${row.id} names unknown job ${row.jobName}; skipped`);
        continue;
      }
      const item = { name: row.jobName, payload: parseJobPayload(row.jobName, row.payload) } as JobItem;
      const envelope: JobEnvelope = { outboxId: row.id, correlationId: row.correlationId, payload: item.payload };
      const queue = this.moduleRef.get<Queue>(getQueueToken(queueForJob[item.name]), { strict: false });
      const jobId = jobIdFor(item, row.id);
      // Bull ignores an add whose id it still holds, finished jobs included (kept for inspection:
      // removeOnComplete: 100). A waiting or running job absorbs the duplicate; a finished one is
      // dropped so that a re-run (a tenant admin's re-process, the reconciler) does run.
      const existing = await queue.getJob(jobId);
      if (existing !== null && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
      await queue.add(item.name, envelope, {
        jobId,
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: 100,
        removeOnFail: 1000,
      });
    }
  }
}
