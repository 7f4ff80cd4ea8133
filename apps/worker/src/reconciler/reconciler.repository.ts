import { Injectable } from '@nestjs/common';
import { JobName } from '@isola/contracts';
import { PrismaClient } from '@isola/database';

/** The queries of the stuck-media reconciler. */
@Injectable()
export class ReconcilerRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Media left in `uploaded`/`transcoding` since before `olderThan` with no transcode job still waiting
   * in the outbox (not yet relayed): candidates whose queue job may have been lost.
   */
  async stuckMedia(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT m.id FROM media m
      WHERE m.status IN ('uploaded', 'transcoding') AND m.updated_at < ${olderThan}
        AND NOT EXISTS (
          SELECT 1 FROM outbox_messages o
          WHERE o.job_name = ${JobName.MediaTranscode} AND o.relayed_at IS NULL AND o.payload->>'mediaId' = m.id::text)
      ORDER BY m.updated_at
      LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  async enqueueTranscode(mediaId: string): Promise<void> {
    await this.prisma.outboxMessage.create({
      data: { jobName: JobName.MediaTranscode, payload: { mediaId }, correlationId: `reconcile:${mediaId}` },
    });
  }
}
