import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '@isola/contracts';
import { Clock } from '@isola/runtime';
import { PollingLoop } from '../common/polling-loop.js';
import { withTimeout } from '../common/with-timeout.js';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { MigrationRepository } from './migration.repository.js';

/** Bull states in which a migration's job will still run by itself. */
const LIVE_JOB_STATES = new Set(['waiting', 'active', 'delayed', 'paused']);

/**
 * Makes sure every migration that needs its job has one (the reconciler's counterpart for
 * migrations): a migration left `running` by a dead worker whose job Bull gave up on (stalled
 * twice) or lost with Redis, and a finished migration whose old copies are due for deletion. Such a
 * migration is re-enqueued through the outbox when its queue job (`migration:<id>`) is gone or
 * finished. Runs at start-up, then every MIGRATION_RECOVERY_INTERVAL_MS.
 */
@Injectable()
export class MigrationRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MigrationRecoveryService.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly repository: MigrationRepository,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Storage) private readonly queue: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    this.loop = new PollingLoop(
      async () => {
        await this.recover();
      },
      config.migration.recoveryIntervalMs,
      (error) => this.logger.warn(`migration recovery pass failed, will retry: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.migration.enabled && this.config.migration.recoveryEnabled) this.loop.start(0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass; returns the ids of the migrations re-enqueued. */
  async recover(): Promise<string[]> {
    const now = this.clock.now();
    const requeued: string[] = [];
    for (const migrationId of await this.repository.needingJob(now, 100)) {
      // Redis down: Bull would wait for it forever, and a shutdown waits for this pass
      const state = await withTimeout(
        this.queue.getJob(`migration:${migrationId}`).then((job) => job?.getState()),
        this.config.outbox.relayTimeoutMs,
        'the queue (Redis) did not answer',
      );
      if (state !== undefined && LIVE_JOB_STATES.has(state)) continue;
      await this.repository.enqueue(migrationId, now, `recover:${migrationId}`);
      requeued.push(migrationId);
    }
    if (requeued.length > 0)
      this.logger.warn({ msg: 're-enqueued migrations without a job', count: requeued.length, migrationIds: requeued });
    return requeued;
  }
}
