import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@isola/database';

export interface PendingMessage {
  id: string;
  jobName: string;
  payload: unknown;
  correlationId: string | null;
}

/** The outbox queries the worker runs (claim, mark relayed, mark completed/failed). */
@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Runs `relay` on a batch of due rows inside one transaction, with the rows locked
   * (`FOR UPDATE SKIP LOCKED`, so several workers never relay the same row), then marks them relayed.
   * If `relay` throws (Redis away), the transaction rolls back and the rows stay pending.
   */
  async relayBatch(limit: number, relay: (messages: PendingMessage[]) => Promise<void>): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<PendingMessage[]>`
        SELECT id, job_name AS "jobName", payload, correlation_id AS "correlationId"
        FROM outbox_messages
        WHERE relayed_at IS NULL AND available_at <= now()
        ORDER BY available_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (rows.length === 0) return 0;
      await relay(rows);
      await tx.outboxMessage.updateMany({
        where: { id: { in: rows.map((r) => r.id) } },
        data: { relayedAt: new Date() },
      });
      return rows.length;
    });
  }

  async markCompleted(id: string): Promise<void> {
    await this.prisma.outboxMessage.update({
      where: { id },
      data: { completedAt: new Date(), attempts: { increment: 1 }, lastError: null },
    });
  }

  async markAttemptFailed(id: string, error: string): Promise<void> {
    await this.prisma.outboxMessage.update({
      where: { id },
      data: { attempts: { increment: 1 }, lastError: error.slice(0, 2000) },
    });
  }
}
