import { Injectable } from '@nestjs/common';
import { JobName, MigrationNoticeKind } from '@isola/contracts';
import { Prisma, PrismaClient, type Migration, type StorageTarget } from '@isola/database';
import { unchangedSince, type FinishPlan, type MediaSnapshot, type MediaStatus, type MigrationCounts } from './plan-migration.js';

export type MigrationRow = Migration & {
  fromTarget: StorageTarget;
  toTarget: StorageTarget;
  tenant: { slug: string; deleteObjectsEnabled: boolean };
};

export type MovingMedia = MediaSnapshot & { tenantId: string };

export interface MovableItem {
  itemId: string;
  mediaId: string;
  attempts: number;
}

export interface SwitchInput {
  itemId: string;
  toTargetId: string;
  /** The media as it was when its objects were copied. */
  copied: MediaSnapshot;
  /** New key of the source and of each rendition (by rendition id). */
  sourceKey: string;
  renditionKeys: ReadonlyMap<string, string>;
  /** SHA-256 computed while copying a source that had none recorded. */
  sourceSha256: string | null;
  now: Date;
}

export type SwitchResult = 'switched' | 'changed' | 'gone';

interface MediaRow {
  id: string;
  tenantId: string;
  status: MediaStatus;
  storageTargetId: string;
  objectKey: string;
  sizeBytes: string;
  contentType: string;
  sha256Verified: string | null;
  renditions: Array<{
    id: string;
    kind: string;
    storageTargetId: string;
    objectKey: string;
    sizeBytes: string;
    sha256: string;
    contentType: string;
  }>;
}

/**
 * A media row with its renditions (by kind) in one query, optionally locking the media row (FOR
 * UPDATE: a transcode recording renditions waits for the lock holder, or is waited for).
 */
async function readMedia(
  db: PrismaClient | Prisma.TransactionClient,
  mediaId: string,
  { lock }: { lock: boolean },
): Promise<MovingMedia | null> {
  const [row] = await db.$queryRaw<MediaRow[]>`
    SELECT m.id, m.tenant_id AS "tenantId", m.status::text AS status, m.storage_target_id AS "storageTargetId",
      m.object_key AS "objectKey", m.size_bytes::text AS "sizeBytes", m.content_type AS "contentType",
      m.sha256_verified AS "sha256Verified",
      COALESCE((
        SELECT json_agg(json_build_object(
          'id', r.id, 'kind', r.kind, 'storageTargetId', r.storage_target_id, 'objectKey', r.object_key,
          'sizeBytes', r.size_bytes::text, 'sha256', r.sha256, 'contentType', r.content_type) ORDER BY r.kind)
        FROM renditions r WHERE r.media_id = m.id), '[]'::json) AS renditions
    FROM media m
    WHERE m.id = ${mediaId}::uuid
    ${lock ? Prisma.sql`FOR UPDATE OF m` : Prisma.empty}`;
  if (row === undefined) return null;
  return {
    ...row,
    sizeBytes: BigInt(row.sizeBytes),
    renditions: row.renditions.map((r) => ({ ...r, sizeBytes: BigInt(r.sizeBytes) })),
  };
}

/**
 * The migration's queries: items, counters, the pointer switch, source deletion, recovery.
 *
 * Items not moved yet are `pending` or `verified`. `verified` (copied and checked, not switched) is
 * no longer written — the switch transaction is the one step that records a verified copy — but
 * items an earlier version left in it are still active: copied again, as pending ones.
 */
@Injectable()
export class MigrationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  load(migrationId: string): Promise<MigrationRow | null> {
    return this.prisma.migration.findUnique({
      where: { id: migrationId },
      include: { fromTarget: true, toTarget: true, tenant: { select: { slug: true, deleteObjectsEnabled: true } } },
    });
  }

  /** `pending` → `running` (startedAt set once). */
  async start(migrationId: string, now: Date): Promise<void> {
    await this.prisma.migration.updateMany({ where: { id: migrationId, status: 'pending' }, data: { status: 'running', startedAt: now } });
  }

  /**
   * One item per media on the old target that is not deleted (idempotent: re-planning adds the media
   * that arrived meanwhile and refreshes the counts of items not copied yet).
   */
  async plan(migrationId: string, fromTargetId: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO storage_migration_items (id, migration_id, media_id, status, objects, bytes, attempts, created_at, updated_at)
      SELECT gen_random_uuid(), ${migrationId}::uuid, m.id, 'pending', 1 + r.n, m.size_bytes + r.bytes, 0, now(), now()
      FROM media m
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n, COALESCE(sum(size_bytes), 0)::bigint AS bytes FROM renditions WHERE media_id = m.id
      ) r
      WHERE m.storage_target_id = ${fromTargetId}::uuid AND m.status <> 'deleted'
      ON CONFLICT (migration_id, media_id) DO UPDATE
        SET objects = EXCLUDED.objects, bytes = EXCLUDED.bytes, updated_at = now()
        WHERE storage_migration_items.status = 'pending'
          AND (storage_migration_items.objects, storage_migration_items.bytes) IS DISTINCT FROM (EXCLUDED.objects, EXCLUDED.bytes)`;
  }

  /** Items not moved yet whose media was deleted (or left the old target some other way): `skipped`. */
  async skipGone(migrationId: string, fromTargetId: string): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE storage_migration_items i
      SET status = 'skipped', last_error = 'the media was deleted', updated_at = now()
      WHERE i.migration_id = ${migrationId}::uuid AND i.status IN ('pending', 'verified')
        AND NOT EXISTS (
          SELECT 1 FROM media m WHERE m.id = i.media_id AND m.status <> 'deleted' AND m.storage_target_id = ${fromTargetId}::uuid)`;
  }

  async counts(migrationId: string, fromTargetId: string): Promise<MigrationCounts> {
    const [row] = await this.prisma.$queryRaw<Array<{ movable: number; in_flight: number }>>`
      SELECT
        count(*) FILTER (WHERE i.status IN ('pending', 'verified') AND m.status IN ('ready', 'failed'))::int AS movable,
        count(*) FILTER (WHERE i.status IN ('pending', 'verified') AND m.status IN ('uploading', 'uploaded', 'transcoding'))::int AS in_flight
      FROM storage_migration_items i
      JOIN media m ON m.id = i.media_id AND m.storage_target_id = ${fromTargetId}::uuid
      WHERE i.migration_id = ${migrationId}::uuid`;
    const failed = await this.prisma.migrationItem.count({ where: { migrationId, status: 'failed' } });
    return { movable: row?.movable ?? 0, inFlight: row?.in_flight ?? 0, failed };
  }

  /** Items that can be moved now, fewest attempts first. */
  movableItems(migrationId: string, fromTargetId: string, limit: number): Promise<MovableItem[]> {
    return this.prisma.$queryRaw<MovableItem[]>`
      SELECT i.id AS "itemId", i.media_id AS "mediaId", i.attempts
      FROM storage_migration_items i
      JOIN media m ON m.id = i.media_id
      WHERE i.migration_id = ${migrationId}::uuid AND i.status IN ('pending', 'verified')
        AND m.storage_target_id = ${fromTargetId}::uuid AND m.status IN ('ready', 'failed')
      ORDER BY i.attempts, i.created_at, i.id
      LIMIT ${limit}`;
  }

  /** The media as the migration copies it: its row and renditions (the target is known: the migration's `from`). */
  media(mediaId: string): Promise<MovingMedia | null> {
    return readMedia(this.prisma, mediaId, { lock: false });
  }

  /**
   * The switch, in one transaction with the media row locked (a transcode recording renditions waits,
   * or is waited for): if the media is still exactly what was copied, the media and every rendition
   * point at the new target with their new keys, and the item is `switched`. Otherwise nothing moves:
   * `changed` (copied again later) or `gone` (deleted: skipped).
   */
  async switchItem(input: SwitchInput): Promise<SwitchResult> {
    // plain SQL statements (a handful per media, each far cheaper to run than a model query)
    return this.prisma.$transaction(async (tx) => {
      const current = await readMedia(tx, input.copied.id, { lock: true });
      if (current === null || current.status === 'deleted') {
        await tx.$executeRaw`
          UPDATE storage_migration_items SET status = 'skipped', last_error = 'the media was deleted', updated_at = now()
          WHERE id = ${input.itemId}::uuid`;
        return 'gone';
      }
      if (!unchangedSince(input.copied, current)) {
        await tx.$executeRaw`
          UPDATE storage_migration_items
          SET status = 'pending', last_error = 'the media changed while it was copied; copying again', updated_at = now()
          WHERE id = ${input.itemId}::uuid AND status IN ('pending', 'verified')`;
        return 'changed';
      }
      const renditionIds = current.renditions.map((r) => r.id);
      const renditionKeys = renditionIds.map((id) => {
        const key = input.renditionKeys.get(id);
        if (key === undefined) throw new Error(`no new key for rendition ${id}`); // unchangedSince guarantees one
        return key;
      });
      // a source hashed while it was copied records that hash (one recorded before is kept)
      await tx.$executeRaw`
        UPDATE media
        SET storage_target_id = ${input.toTargetId}::uuid, object_key = ${input.sourceKey},
            sha256_verified = COALESCE(sha256_verified, ${input.sourceSha256}), updated_at = now()
        WHERE id = ${current.id}::uuid`;
      if (renditionIds.length > 0) {
        await tx.$executeRaw`
          UPDATE renditions r SET storage_target_id = ${input.toTargetId}::uuid, object_key = moved.key, updated_at = now()
          FROM unnest(${renditionIds}::uuid[], ${renditionKeys}::text[]) AS moved(id, key)
          WHERE r.id = moved.id`;
      }
      await tx.$executeRaw`
        UPDATE storage_migration_items SET status = 'switched', switched_at = ${input.now}, last_error = NULL, updated_at = now()
        WHERE id = ${input.itemId}::uuid`;
      return 'switched';
    });
  }

  /** One failed attempt; `failed` once `maxAttempts` are used up. Returns the item's status. */
  async recordFailure(itemId: string, message: string, maxAttempts: number): Promise<'pending' | 'failed'> {
    const rows = await this.prisma.$queryRaw<Array<{ status: 'pending' | 'failed' }>>`
      UPDATE storage_migration_items
      SET attempts = attempts + 1,
          last_error = ${message},
          status = (CASE WHEN attempts + 1 >= ${maxAttempts} THEN 'failed' ELSE 'pending' END)::migration_item_status,
          updated_at = now()
      WHERE id = ${itemId}::uuid AND status IN ('pending', 'verified')
      RETURNING status`;
    return rows[0]?.status ?? 'failed';
  }

  /** Totals and progress from the items (recomputed, so a crash or a retry never counts twice). */
  async refreshCounters(migrationId: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE storage_migrations s SET
        total_objects = a.total_objects, total_bytes = a.total_bytes,
        copied_objects = a.copied_objects, copied_bytes = a.copied_bytes,
        failed_objects = a.failed_objects, last_error = COALESCE(a.last_error, s.last_error), updated_at = now()
      FROM (
        SELECT
          COALESCE(sum(objects) FILTER (WHERE status <> 'skipped'), 0)::int AS total_objects,
          COALESCE(sum(bytes) FILTER (WHERE status <> 'skipped'), 0)::bigint AS total_bytes,
          COALESCE(sum(objects) FILTER (WHERE status = 'switched'), 0)::int AS copied_objects,
          COALESCE(sum(bytes) FILTER (WHERE status = 'switched'), 0)::bigint AS copied_bytes,
          COALESCE(sum(objects) FILTER (WHERE status = 'failed'), 0)::int AS failed_objects,
          (array_agg(last_error ORDER BY updated_at DESC) FILTER (WHERE status = 'failed'))[1] AS last_error
        FROM storage_migration_items WHERE migration_id = ${migrationId}::uuid
      ) a
      WHERE s.id = ${migrationId}::uuid`;
  }

  /** `running` → completed/failed with the studio's notice, in one transaction. False when already finished. */
  async finish(migration: MigrationRow, plan: FinishPlan, now: Date, message: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.migration.updateMany({
        where: { id: migration.id, status: 'running' },
        data: { status: plan.status, finishedAt: now, deleteSourcesAfter: plan.deleteSourcesAfter },
      });
      if (count !== 1) return false;
      const row = await tx.migration.findUniqueOrThrow({ where: { id: migration.id } });
      await tx.notice.create({
        data: {
          tenantId: migration.tenantId,
          kind: plan.status === 'completed' ? MigrationNoticeKind.Completed : MigrationNoticeKind.Failed,
          message,
          details: {
            migrationId: migration.id,
            fromTargetId: migration.fromTargetId,
            toTargetId: migration.toTargetId,
            copiedObjects: row.copiedObjects,
            copiedBytes: Number(row.copiedBytes),
            failedObjects: row.failedObjects,
            deleteSourcesAfter: plan.deleteSourcesAfter?.toISOString() ?? null,
          },
        },
      });
      return true;
    });
  }

  /** The job again, through the outbox (after `availableAt`): the relay puts it on the queue. */
  async enqueue(migrationId: string, availableAt: Date, correlationId: string | null): Promise<void> {
    await this.prisma.outboxMessage.create({
      data: { jobName: JobName.StorageMigrate, payload: { migrationId }, correlationId, availableAt },
    });
  }

  // ------------------------------------------------------------------------------------------ old copies

  /** Switched items whose old copies are still there. */
  itemsWithOldCopies(migrationId: string, limit: number): Promise<Array<{ id: string; mediaId: string }>> {
    return this.prisma.migrationItem.findMany({
      where: { migrationId, status: 'switched', sourceDeletedAt: null },
      select: { id: true, mediaId: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /**
   * Runs `work` with the tenant's row locked — the same lock the API's activation takes — so a switch
   * back to the old target (a new migration writing the very keys being deleted) cannot start while
   * old copies are deleted, and `work` sees whether one is pending or running.
   */
  async withTenantLock<T>(tenantId: string, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
        return work(tx);
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  async markSourcesDeleted(migrationId: string, now: Date): Promise<void> {
    await this.prisma.migration.updateMany({ where: { id: migrationId, sourcesDeletedAt: null }, data: { sourcesDeletedAt: now } });
  }

  /** The studio withdrew its opt-in to deletes meanwhile: the old copies stay. */
  async keepSources(migrationId: string, reason: string): Promise<void> {
    await this.prisma.migration.update({ where: { id: migrationId }, data: { deleteSources: false, lastError: reason } });
  }

  /**
   * `verified` → `retired` when nothing points at the target any more: not the active one, no live
   * media or rendition, no open upload, no migration from or to it still running, and no old copies
   * still waiting to be deleted. Returns whether it was retired.
   */
  async retireIfUnused(targetId: string): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE storage_targets t SET status = 'retired', updated_at = now()
      WHERE t.id = ${targetId}::uuid AND t.status = 'verified'
        AND NOT EXISTS (SELECT 1 FROM tenants WHERE active_target_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM media WHERE storage_target_id = t.id AND status <> 'deleted')
        AND NOT EXISTS (
          SELECT 1 FROM renditions r JOIN media m ON m.id = r.media_id WHERE r.storage_target_id = t.id AND m.status <> 'deleted')
        AND NOT EXISTS (SELECT 1 FROM multipart_uploads WHERE storage_target_id = t.id AND status = 'open')
        AND NOT EXISTS (
          SELECT 1 FROM storage_migrations
          WHERE (from_target_id = t.id OR to_target_id = t.id) AND status IN ('pending', 'running'))
        AND NOT EXISTS (
          SELECT 1 FROM storage_migrations WHERE from_target_id = t.id AND delete_sources AND sources_deleted_at IS NULL)`;
    return count === 1;
  }

  // ------------------------------------------------------------------------------------------ recovery

  /**
   * Migrations that need their job and have none waiting in the outbox: pending/running ones (a dead
   * worker's, or one whose queue job was lost), and finished ones whose old copies are due for deletion.
   */
  async needingJob(now: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT s.id FROM storage_migrations s
      WHERE (s.status IN ('pending', 'running')
             OR (s.status IN ('completed', 'failed') AND s.delete_sources AND s.sources_deleted_at IS NULL
                 AND s.delete_sources_after <= ${now}))
        AND NOT EXISTS (
          SELECT 1 FROM outbox_messages o
          WHERE o.job_name = ${JobName.StorageMigrate} AND o.relayed_at IS NULL AND o.payload->>'migrationId' = s.id::text)
      ORDER BY s.created_at
      LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }
}
