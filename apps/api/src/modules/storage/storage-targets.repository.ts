import { Injectable } from '@nestjs/common';
import { PrismaClient, type Prisma, type StorageTarget } from '@isola/database';
import { storageTargetRefFrom, type StorageTargetRef } from '@isola/tenant-storage';

/** A database row as the storage packages see it (kept as a name for the API's callers). */
export const toTargetRef: (row: StorageTarget) => StorageTargetRef = storageTargetRefFrom;

@Injectable()
export class StorageTargetsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The target new uploads of a tenant go to, or null when the tenant has none active. */
  async activeTarget(tenantId: string): Promise<StorageTarget | null> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId }, include: { activeTarget: true } });
    return tenant?.activeTarget ?? null;
  }

  /** A target of this tenant by id (null when it belongs to another tenant). */
  findForTenant(tenantId: string, targetId: string): Promise<StorageTarget | null> {
    return this.prisma.storageTarget.findFirst({ where: { id: targetId, tenantId } });
  }

  /** Records the outcome of a re-check that did not restore a revoked target (its schedule is the worker's). */
  async recordRecheck(targetId: string, at: Date, result: Prisma.InputJsonObject): Promise<StorageTarget | null> {
    await this.prisma.storageTarget.updateMany({
      where: { id: targetId, status: 'revoked' },
      data: { lastCheckAt: at, lastCheckResult: result },
    });
    return this.prisma.storageTarget.findUnique({ where: { id: targetId } });
  }
}
