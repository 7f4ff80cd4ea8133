import { Injectable } from '@nestjs/common';
import { PrismaClient, type Prisma, type StorageTarget } from '@isola/database';
import type { StorageTargetConfig } from '@isola/tenant-storage';

/** Prisma queries of the tenant admin's storage-target pages. */
@Injectable()
export class StorageTargetAdminRepository {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }

  /** The tenant's targets, oldest first, and which one is active. */
  async listForTenant(tenantId: string): Promise<{ targets: StorageTarget[]; activeTargetId: string | null }> {
    const [tenant, targets] = await Promise.all([
      this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { activeTargetId: true } }),
      this.prisma.storageTarget.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    ]);
    return { targets, activeTargetId: tenant?.activeTargetId ?? null };
  }

  /** One target of this tenant (null when it belongs to another tenant or does not exist). */
  findForTenant(tenantId: string, targetId: string, tx: Prisma.TransactionClient = this.prisma): Promise<StorageTarget | null> {
    return tx.storageTarget.findFirst({ where: { id: targetId, tenantId } });
  }

  /** Live (not retired) targets of the tenant on this bucket, to detect overlapping prefixes. */
  liveTargetsOnBucket(tenantId: string, bucket: string, tx: Prisma.TransactionClient): Promise<StorageTarget[]> {
    return tx.storageTarget.findMany({ where: { tenantId, bucket, status: { not: 'retired' } } });
  }

  /** Serialises target creation per tenant, so two concurrent creates cannot both pass the overlap check. */
  async lockTenant(tenantId: string, tx: Prisma.TransactionClient): Promise<void> {
    await tx.$queryRaw`select id from tenants where id = ${tenantId}::uuid for update`;
  }

  create(tx: Prisma.TransactionClient, tenantId: string, config: StorageTargetConfig): Promise<StorageTarget> {
    return tx.storageTarget.create({
      data: {
        tenantId,
        mode: config.mode,
        provider: config.provider,
        endpoint: config.endpoint ?? null,
        region: config.region,
        bucket: config.bucket,
        prefix: config.prefix,
        roleArn: config.roleArn,
        externalId: config.externalId,
        status: 'pending',
      },
    });
  }

  /**
   * Sets a new ExternalId when the target is still in `expectedStatus` (compare-and-set against a
   * concurrent activation). A `verified` target goes back to `pending`: it was verified with the old
   * value. Returns the row, or null when the status changed meanwhile.
   */
  async replaceExternalId(
    tx: Prisma.TransactionClient,
    target: StorageTarget,
    externalId: string,
    nextStatus: StorageTarget['status'],
  ): Promise<StorageTarget | null> {
    const { count } = await tx.storageTarget.updateMany({
      where: { id: target.id, tenantId: target.tenantId, status: target.status },
      data: { externalId, status: nextStatus },
    });
    return count === 1 ? tx.storageTarget.findUnique({ where: { id: target.id } }) : null;
  }

  async deleteObjectsEnabled(tenantId: string): Promise<boolean> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { deleteObjectsEnabled: true } });
    return tenant?.deleteObjectsEnabled ?? false;
  }
}
