import { Logger } from '@nestjs/common';
import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobName, QueueName, type JobEnvelope } from '@isola/contracts';
import { OutboxRepository } from '../outbox/outbox.repository.js';

/** Housekeeping jobs. `System.Ping` proves the API → outbox → Redis → worker path end to end. */
@Processor(QueueName.System)
export class SystemProcessor {
  private readonly logger = new Logger(SystemProcessor.name);

  constructor(private readonly outbox: OutboxRepository) {}

  @Process(JobName.SystemPing)
  async ping(job: Job<JobEnvelope<typeof JobName.SystemPing>>): Promise<{ pong: string }> {
    this.logger.log({ msg: 'ping', correlationId: job.data.correlationId, note: job.data.payload.note });
    await this.outbox.markCompleted(job.data.outboxId);
    return { pong: job.data.payload.note };
  }
}
