import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { JobName, QueueName, jobPayloadSchemas, type JobEnvelope } from '@isola/contracts';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { OutboxRepository } from '../outbox/outbox.repository.js';
import { MigrationService, type MigrationOutcome } from './migration.service.js';

type MigrateJob = Job<JobEnvelope<typeof JobName.StorageMigrate>>;

/**
 * `Storage.Migrate` jobs from the storage queue (job id `migration:<id>`: Bull never runs one
 * migration twice at once). Bull glue only — the outbox row, retries, shutdown; the work is
 * MigrationService's. Registered at bootstrap (the concurrency is config), as TranscodeProcessor.
 *
 * A worker killed mid-migration: Bull's stalled-job check hands the job to another worker once its
 * lock expires (WORKER_JOB_LOCK_MS), and MigrationRecoveryService re-enqueues a running migration
 * whose job is gone for good; either way the run resumes from the items' statuses.
 * Shutdown: no new job; running ones get WORKER_SHUTDOWN_GRACE_MS, then are aborted and released.
 */
@Injectable()
export class MigrationProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MigrationProcessor.name);
  private readonly running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private registered = false;
  private closing = false;

  constructor(
    @InjectQueue(QueueName.Storage) private readonly queue: Queue,
    private readonly service: MigrationService,
    private readonly outbox: OutboxRepository,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.migration.enabled) return;
    this.registered = true;
    this.queue
      .process(JobName.StorageMigrate, this.config.concurrency, (job: MigrateJob) => this.handle(job))
      .catch((error: unknown) => this.logger.error(`the storage queue stopped processing: ${(error as Error).message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (!this.registered) return;
    await this.queue.pause(true, true).catch(() => undefined);
    if (this.running.size === 0) return;
    const timer = setTimeout(() => {
      for (const { controller } of this.running.values()) controller.abort();
    }, this.config.queue.shutdownGraceMs);
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    clearTimeout(timer);
  }

  async handle(job: MigrateJob): Promise<MigrationOutcome> {
    const { outboxId, correlationId } = job.data;
    const payload = jobPayloadSchemas[JobName.StorageMigrate].safeParse(job.data.payload);
    if (!payload.success) {
      this.logger.error({ msg: 'Storage.Migrate job with an invalid payload', jobId: job.id, correlationId });
      await this.outbox.markAttemptFailed(outboxId, 'invalid payload').catch(() => undefined);
      return { status: 'skipped', reason: 'invalid payload' };
    }
    const { migrationId } = payload.data;
    const controller = new AbortController();
    if (this.closing) controller.abort();
    const work = this.service.run(migrationId, { correlationId, signal: controller.signal });
    const id = String(job.id);
    this.running.set(id, { controller, done: work.catch(() => undefined) });
    try {
      const outcome = await work;
      await this.outbox
        .markCompleted(outboxId)
        .catch((error: unknown) => this.logger.warn(`outbox ${outboxId}: ${(error as Error).message}`));
      this.logger.log({ msg: 'migration job done', migrationId, correlationId, ...outcome });
      return outcome;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({
        msg: 'migration job failed, will retry',
        migrationId,
        correlationId,
        attempt: job.attemptsMade + 1,
        error: message,
      });
      await this.outbox.markAttemptFailed(outboxId, message).catch(() => undefined);
      throw error;
    } finally {
      this.running.delete(id);
    }
  }
}
