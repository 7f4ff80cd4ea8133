import { Injectable } from '@nestjs/common';
import type { ConnectionTestResult } from '@isola/contracts';
import { PrismaClient, type Prisma, type StorageTarget, type StorageTargetStatus } from '@isola/database';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { statusAfterTest } from './status-after-test.js';

export type TargetToVerify = StorageTarget & { tenant: { slug: string; deleteObjectsEnabled: boolean } };

@Injectable()
export class ConnectionTestRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
  ) {}

  /** A target of this tenant (null for another tenant's), with what the test needs of its tenant. */
  findTarget(tenantId: string, targetId: string): Promise<TargetToVerify | null> {
    return this.prisma.storageTarget.findFirst({
      where: { id: targetId, tenantId },
      include: { tenant: { select: { slug: true, deleteObjectsEnabled: true } } },
    });
  }

  /**
   * In one transaction: the result on the target (`lastCheckResult`, `lastCheckAt`), its status
   * change (only from the status it has now: a concurrent revocation or activation wins), and the
   * audit row built from the statuses before and after. Returns the status after.
   */
  saveResult(input: {
    targetId: string;
    result: ConnectionTestResult;
    at: Date;
    audit: (change: { before: StorageTargetStatus; after: StorageTargetStatus }) => AuditEntry;
  }): Promise<StorageTargetStatus> {
    return this.prisma.$transaction(async (tx) => {
      const current = await tx.storageTarget.findUniqueOrThrow({ where: { id: input.targetId }, select: { status: true } });
      const next = statusAfterTest(current.status, input.result.ok);
      const data: Prisma.StorageTargetUpdateManyMutationInput = {
        lastCheckAt: input.at,
        lastCheckResult: input.result as unknown as Prisma.InputJsonValue,
        ...(next === current.status ? {} : { status: next }),
      };
      const updated = await tx.storageTarget.updateMany({ where: { id: input.targetId, status: current.status }, data });
      let after = next;
      if (updated.count === 0) {
        // The status moved meanwhile: keep it, store the result anyway.
        const row = await tx.storageTarget.update({
          where: { id: input.targetId },
          data: { lastCheckAt: input.at, lastCheckResult: data.lastCheckResult },
          select: { status: true },
        });
        after = row.status;
      }
      await this.audit.record(input.audit({ before: current.status, after }), tx);
      return after;
    });
  }
}
