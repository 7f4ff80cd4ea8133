import { Injectable } from '@nestjs/common';
import { PrismaClient, type StorageTarget } from '@isola/database';
import type { StorageTargetRef } from '@isola/tenant-storage';

/** A database row as the storage packages see it (they never read Prisma types). */
export function toTargetRef(row: StorageTarget): StorageTargetRef {
  return {
    id: row.id,
    tenantId: row.tenantId,
    mode: row.mode,
    provider: row.provider,
    ...(row.endpoint ? { endpoint: row.endpoint } : {}),
    region: row.region,
    bucket: row.bucket,
    prefix: row.prefix,
    roleArn: row.roleArn,
    externalId: row.externalId,
  };
}

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
}
