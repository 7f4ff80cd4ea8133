import { Injectable } from '@nestjs/common';
import { PrismaClient, type Prisma } from '@isola/database';
import type { JobItem } from '@isola/contracts';

/**
 * The API's only way to start background work: an outbox row, written in the caller's transaction
 * when it passes one, so the job exists exactly when the state change does. The worker's relay
 * moves rows to the queue (no job is lost while Redis is away).
 */
@Injectable()
export class JobsService {
  constructor(private readonly prisma: PrismaClient) {}

  async enqueue(item: JobItem, opts: { tx?: Prisma.TransactionClient; correlationId?: string | null } = {}): Promise<string> {
    const db = opts.tx ?? this.prisma;
    const row = await db.outboxMessage.create({
      data: { jobName: item.name, payload: item.payload, correlationId: opts.correlationId ?? null },
      select: { id: true },
    });
    return row.id;
  }
}
