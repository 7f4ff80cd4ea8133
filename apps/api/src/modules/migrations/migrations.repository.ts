import { Injectable } from '@nestjs/common';
import { generateExternalId, PrismaClient, type Migration, type Prisma, type StorageTarget } from '@isola/database';
import type { HostedStorageSettings } from './hosted-storage.js';

export type Tx = Prisma.TransactionClient;

export type MigrationWithTargets = Migration & { fromTarget: StorageTarget; toTarget: StorageTarget };

export interface ItemCounts {
  pending: number;
  switched: number;
  failed: number;
  skipped: number;
}

export interface FailedItem {
  mediaId: string;
  filename: string | null;
  attempts: number;
  lastError: string | null;
}

const WITH_TARGETS = { fromTarget: true, toTarget: true } satisfies Prisma.MigrationInclude;

/** Queries of the mode switch and the migration progress routes. Every query is scoped by tenant. */
@Injectable()
export class MigrationsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(run: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(run);
  }

  /**
   * The tenant row, locked for the rest of the transaction: concurrent activations of one studio run
   * one after the other (and the worker deleting old copies takes the same lock).
   */
  async lockTenant(
    tx: Tx,
    tenantId: string,
  ): Promise<{ id: string; slug: string; activeTargetId: string | null; deleteObjectsEnabled: boolean }> {
    const rows = await tx.$queryRaw<Array<{ id: string; slug: string; activeTargetId: string | null; deleteObjectsEnabled: boolean }>>`
      SELECT id, slug, active_target_id AS "activeTargetId", delete_objects_enabled AS "deleteObjectsEnabled"
      FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (row === undefined) throw new Error(`tenant ${tenantId} vanished`);
    return row;
  }

  findTarget(tx: Tx, tenantId: string, targetId: string): Promise<StorageTarget | null> {
    return tx.storageTarget.findFirst({ where: { id: targetId, tenantId } });
  }

  /** The studio's hosted target to switch back to: the active one, else the most recent usable one. */
  findHostedTarget(tx: Tx, tenantId: string): Promise<StorageTarget | null> {
    return tx.storageTarget.findFirst({
      where: { tenantId, mode: 'hosted', status: { not: 'revoked' } },
      orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }],
    });
  }

  createHostedTarget(tx: Tx, tenantId: string, settings: HostedStorageSettings, prefix: string): Promise<StorageTarget> {
    return tx.storageTarget.create({
      data: {
        tenantId,
        mode: 'hosted',
        provider: settings.provider,
        endpoint: settings.endpoint,
        region: settings.region,
        bucket: settings.bucket,
        prefix,
        roleArn: settings.roleArn,
        externalId: generateExternalId(),
        status: 'verified',
      },
    });
  }

  async migrationInProgress(tx: Tx, tenantId: string): Promise<boolean> {
    return (await tx.migration.count({ where: { tenantId, status: { in: ['pending', 'running'] } } })) > 0;
  }

  /**
   * The new target becomes `active` and the tenant's uploads go there from the commit on; the previous
   * active one steps back to `verified` (still reachable: its media keep pointing at it until moved).
   */
  async activate(tx: Tx, tenantId: string, targetId: string, previous: StorageTarget | null): Promise<StorageTarget> {
    if (previous !== null && previous.status === 'active') {
      await tx.storageTarget.update({ where: { id: previous.id }, data: { status: 'verified' } });
    }
    const target = await tx.storageTarget.update({ where: { id: targetId }, data: { status: 'active' } });
    await tx.tenant.update({ where: { id: tenantId }, data: { activeTargetId: targetId } });
    return target;
  }

  /**
   * Switching back to a target whose copies an earlier migration was going to delete: those deletions
   * are called off (the new migration writes the very same keys).
   */
  async keepOldCopiesIn(tx: Tx, tenantId: string, targetId: string): Promise<number> {
    const { count } = await tx.migration.updateMany({
      where: { tenantId, fromTargetId: targetId, deleteSources: true, sourcesDeletedAt: null },
      data: { deleteSources: false, lastError: 'Old copies kept: the studio switched back to this target.' },
    });
    return count;
  }

  createMigration(
    tx: Tx,
    input: { tenantId: string; fromTargetId: string; toTargetId: string; deleteSources: boolean; createdById: string },
  ): Promise<MigrationWithTargets> {
    return tx.migration.create({ data: { ...input, status: 'pending' }, include: WITH_TARGETS });
  }

  list(tenantId: string, take: number): Promise<MigrationWithTargets[]> {
    return this.prisma.migration.findMany({
      where: { tenantId },
      include: WITH_TARGETS,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  find(tenantId: string, id: string): Promise<MigrationWithTargets | null> {
    return this.prisma.migration.findFirst({ where: { id, tenantId }, include: WITH_TARGETS });
  }

  async itemCounts(migrationIds: readonly string[]): Promise<Map<string, ItemCounts>> {
    const groups = await this.prisma.migrationItem.groupBy({
      by: ['migrationId', 'status'],
      where: { migrationId: { in: [...migrationIds] } },
      _count: { _all: true },
    });
    const counts = new Map<string, ItemCounts>(migrationIds.map((id) => [id, { pending: 0, switched: 0, failed: 0, skipped: 0 }]));
    for (const group of groups) {
      const c = counts.get(group.migrationId);
      if (c === undefined) continue;
      const n = group._count._all;
      if (group.status === 'pending' || group.status === 'verified') c.pending += n;
      else c[group.status] += n;
    }
    return counts;
  }

  failedItems(migrationId: string, take: number): Promise<FailedItem[]> {
    return this.prisma.$queryRaw<FailedItem[]>`
      SELECT i.media_id AS "mediaId", m.filename, i.attempts, i.last_error AS "lastError"
      FROM storage_migration_items i LEFT JOIN media m ON m.id = i.media_id
      WHERE i.migration_id = ${migrationId}::uuid AND i.status = 'failed'
      ORDER BY i.updated_at DESC, i.id
      LIMIT ${take}`;
  }
}
