import { Injectable } from '@nestjs/common';
import { PrismaClient, type Prisma, type StorageTarget } from '@isola/database';

export type TargetToRecheck = StorageTarget & { tenant: { slug: string } };

/** The queries of the revocation re-checks (the status transitions themselves: @isola/database storage-status). */
@Injectable()
export class RevocationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Claims up to `limit` revoked targets due for a re-check (`next_check_at ≤ now`) by moving their
   * `next_check_at` to `leaseUntil` in the same statement (rows locked by another worker are skipped):
   * two workers never check one target at once, and a worker that dies mid-check leaves the target
   * due again when the lease ends.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<TargetToRecheck[]> {
    const claimed = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE storage_targets t SET next_check_at = ${leaseUntil}::timestamptz, updated_at = ${now}::timestamptz
      FROM (
        SELECT id FROM storage_targets
        WHERE status = 'revoked' AND next_check_at <= ${now}::timestamptz
        ORDER BY next_check_at
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE t.id = due.id
      RETURNING t.id`;
    if (claimed.length === 0) return [];
    return this.prisma.storageTarget.findMany({
      where: { id: { in: claimed.map((row) => row.id) }, status: 'revoked' },
      include: { tenant: { select: { slug: true } } },
    });
  }

  /** After a re-check that did not restore the target: its schedule and what was found (only while still revoked). */
  async reschedule(
    targetId: string,
    update: { at: Date; attempts: number; nextCheckAt: Date; result: Prisma.InputJsonObject },
  ): Promise<void> {
    await this.prisma.storageTarget.updateMany({
      where: { id: targetId, status: 'revoked' },
      data: { recheckAttempts: update.attempts, nextCheckAt: update.nextCheckAt, lastCheckAt: update.at, lastCheckResult: update.result },
    });
  }
}
