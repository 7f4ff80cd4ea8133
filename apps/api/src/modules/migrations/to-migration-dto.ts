import { migrationPercent, type MigrationDto, type MigrationTargetSummary } from '@isola/contracts';
import type { StorageTarget } from '@isola/database';
import type { FailedItem, ItemCounts, MigrationWithTargets } from './migrations.repository.js';

export function toTargetSummary(target: StorageTarget): MigrationTargetSummary {
  return { id: target.id, mode: target.mode, status: target.status, bucket: target.bucket, prefix: target.prefix };
}

/** The API's view of a migration (contracts `migrationSchema`): bytes as numbers, dates as ISO strings. */
export function toMigrationDto(m: MigrationWithTargets, items: ItemCounts, failedItems?: FailedItem[]): MigrationDto {
  const totals = {
    status: m.status,
    totalObjects: m.totalObjects,
    totalBytes: Number(m.totalBytes),
    copiedObjects: m.copiedObjects,
    copiedBytes: Number(m.copiedBytes),
  };
  return {
    id: m.id,
    from: toTargetSummary(m.fromTarget),
    to: toTargetSummary(m.toTarget),
    ...totals,
    failedObjects: m.failedObjects,
    percent: migrationPercent(totals),
    items,
    lastError: m.lastError,
    deleteSources: m.deleteSources,
    deleteSourcesAfter: m.deleteSourcesAfter?.toISOString() ?? null,
    sourcesDeletedAt: m.sourcesDeletedAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    startedAt: m.startedAt?.toISOString() ?? null,
    finishedAt: m.finishedAt?.toISOString() ?? null,
    ...(failedItems === undefined ? {} : { failedItems: failedItems.map((i) => ({ ...i, attempts: Number(i.attempts) })) }),
  };
}
