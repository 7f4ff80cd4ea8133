import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@isola/runtime';
import { isStorageError, StorageErrorCode, storageTargetRefFrom, type StorageTargetRef } from '@isola/tenant-storage';
import type { CredentialRequestContext } from '@isola/credentials';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { copyObject, type CopiedObject } from './copy-object.js';
import { describeFailure, MigrationErrorCode, MigrationException } from './migration.exception.js';
import { MigrationRepository, type MediaWithTarget, type MigrationRow, type MovableItem } from './migration.repository.js';
import { MigrationStores, type StoreSource } from './migration-stores.service.js';
import {
  finishPlan,
  mediaReadiness,
  nextStep,
  plannedObjects,
  retryDelayMs,
  type MigrationCounts,
  type PlannedObject,
} from './plan-migration.js';
import { relocateKey } from './relocate-key.js';

export interface MigrationContext {
  correlationId?: string | null;
  /** Aborted on shutdown: copies in flight stop, nothing is recorded as failed, the job is released. */
  signal?: AbortSignal;
}

export type MigrationOutcome =
  | { status: 'completed' | 'failed'; failedItems: number; deleteSourcesAfter: string | null }
  | { status: 'waiting'; inFlight: number; until: string }
  | { status: 'sources-deleted'; media: number; retired: boolean }
  | { status: 'deferred'; reason: string }
  | { status: 'skipped'; reason: string };

type ItemResult = 'switched' | 'retry' | 'failed' | 'changed' | 'not-movable';

/** Items fetched per pass; a pass is followed by re-planning (media that arrived meanwhile). */
const PASS_SIZE = 500;

/**
 * One `Storage.Migrate` run (DECISIONS.md; issue 6 "mode switch"). Running migration:
 *   plan (an item per media on the old target) → copy the movable ones, `concurrency` at a time
 *   (stream, hash, verify size + SHA-256, HEAD the new object) → switch each media's pointer in one
 *   transaction → re-plan (uploads that were in flight at the switch) → … → finish.
 * Media still uploading/transcoding on the old target are waited for without a busy loop: the run
 * ends (`waiting`) and comes back through the outbox `MIGRATION_WAIT_MS` later.
 * Finished migration whose old copies are due: delete them (`delete` credentials), then retire the old
 * target when nothing points at it any more.
 *
 * Resumable and idempotent: all state is in the items. A restarted run skips switched items, copies
 * pending and verified ones again onto the same keys (overwrite: never a duplicate) and recomputes the
 * counters from the items.
 */
@Injectable()
export class MigrationService {
  private readonly logger = new Logger(MigrationService.name);

  constructor(
    private readonly repository: MigrationRepository,
    private readonly stores: MigrationStores,
    private readonly clock: Clock,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async run(migrationId: string, context: MigrationContext = {}): Promise<MigrationOutcome> {
    const migration = await this.repository.load(migrationId);
    if (migration === null) return { status: 'skipped', reason: 'the migration no longer exists' };
    if (migration.status === 'completed' || migration.status === 'failed') return this.deleteOldCopies(migration, context);

    await this.repository.start(migration.id, this.clock.now());
    const from = storageTargetRefFrom(migration.fromTarget);
    const to = storageTargetRefFrom(migration.toTarget);
    for (;;) {
      throwIfAborted(context.signal);
      await this.repository.plan(migration.id, from.id);
      await this.repository.skipGone(migration.id, from.id);
      await this.repository.refreshCounters(migration.id);
      const counts = await this.repository.counts(migration.id, from.id);
      switch (nextStep(counts)) {
        case 'finish':
          return this.finish(migration, counts, context);
        case 'wait': {
          const until = new Date(this.clock.now().getTime() + this.config.migration.waitMs);
          await this.repository.enqueue(migration.id, until, context.correlationId ?? null);
          this.logger.log({ msg: 'migration waits for media still in flight', migrationId, inFlight: counts.inFlight });
          return { status: 'waiting', inFlight: counts.inFlight, until: until.toISOString() };
        }
        case 'copy':
          break;
      }
      const items = await this.repository.movableItems(migration.id, from.id, PASS_SIZE);
      let retries = 0;
      let mostAttempts = 0;
      await forEachConcurrent(items, this.config.migration.concurrency, context.signal, async (item) => {
        const result = await this.moveItem(migration, item, from, to, context);
        if (result === 'retry') {
          retries += 1;
          mostAttempts = Math.max(mostAttempts, item.attempts + 1);
        }
        await this.repository.refreshCounters(migration.id);
      });
      if (retries > 0) await sleep(retryDelayMs(mostAttempts, this.config.migration.waitMs), context.signal);
    }
  }

  // ------------------------------------------------------------------------------------------ one media

  private async moveItem(
    migration: MigrationRow,
    item: MovableItem,
    from: StorageTargetRef,
    to: StorageTargetRef,
    context: MigrationContext,
  ): Promise<ItemResult> {
    const media = await this.repository.media(item.mediaId);
    // deleted, moved or back in flight since it was listed: the next pass sorts it out
    if (media === null || media.storageTargetId !== from.id || mediaReadiness(media.status) !== 'movable') return 'not-movable';
    const credentials: CredentialRequestContext = {
      tenantSlug: migration.tenant.slug,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    };
    const sides = {
      read: this.stores.read(from, media.id, credentials),
      write: this.stores.write(to, media.id, credentials),
      check: this.stores.read(to, media.id, credentials),
    };
    try {
      let sourceKey = media.objectKey;
      let sourceSha256: string | null = null;
      const renditionKeys = new Map<string, string>();
      for (const object of plannedObjects(media)) {
        const toKey = relocateKey(object.key, from.prefix, to.prefix, media.id);
        const copied = await this.copyVerified(sides, media, object, toKey, context.signal);
        if (object.ref === 'source') {
          sourceKey = toKey;
          if (object.sha256 === null && copied !== null) sourceSha256 = copied.sha256;
        } else {
          renditionKeys.set(object.ref.renditionId, toKey);
        }
      }
      await this.repository.markVerified(item.itemId);
      const switched = await this.repository.switchItem({
        itemId: item.itemId,
        toTargetId: to.id,
        copied: media,
        sourceKey,
        renditionKeys,
        sourceSha256,
        now: this.clock.now(),
      });
      if (switched === 'switched') return 'switched';
      return switched === 'changed' ? 'changed' : 'not-movable';
    } catch (error) {
      if (context.signal?.aborted) throw error;
      const message = describeFailure(error);
      const status = await this.repository.recordFailure(item.itemId, message, this.config.migration.itemAttempts);
      this.logger.warn({
        msg: status === 'failed' ? 'media could not be migrated, giving up' : 'media migration attempt failed, will retry',
        migrationId: migration.id,
        mediaId: media.id,
        attempt: item.attempts + 1,
        error: message,
        correlationId: context.correlationId,
      });
      return status === 'failed' ? 'failed' : 'retry';
    }
  }

  /**
   * Copies one object and checks it: the bytes read hash to the recorded SHA-256 (when one is
   * recorded) and have the recorded size, and the new object's HEAD shows that size. Null when a
   * failed media has no stored source (its upload never completed): nothing to copy.
   */
  private async copyVerified(
    sides: { read: StoreSource; write: StoreSource; check: StoreSource },
    media: MediaWithTarget,
    object: PlannedObject,
    toKey: string,
    signal: AbortSignal | undefined,
  ): Promise<CopiedObject | null> {
    const isSource = object.ref === 'source';
    let copied: CopiedObject;
    try {
      copied = await copyObject(sides.read, sides.write, {
        fromKey: object.key,
        toKey,
        contentType: object.contentType,
        partSizeBytes: this.config.migration.partSizeBytes,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isStorageError(error) && error.code === StorageErrorCode.OBJECT_NOT_FOUND && error.details.operation === 'GetObject') {
        if (isSource && media.status === 'failed') return null;
        throw new MigrationException(MigrationErrorCode.OBJECT_NOT_FOUND, `${object.key} is not in the old target.`, { cause: error });
      }
      throw error;
    }
    // a failed media's source may differ from the declared size (that is why it failed): copy it as it is
    const strictSize = !(isSource && media.status === 'failed');
    if (strictSize && BigInt(copied.sizeBytes) !== object.sizeBytes) {
      throw new MigrationException(
        MigrationErrorCode.SIZE_MISMATCH,
        `${object.key}: read ${copied.sizeBytes} bytes, recorded ${object.sizeBytes}.`,
      );
    }
    if (object.sha256 !== null && copied.sha256 !== object.sha256) {
      throw new MigrationException(
        MigrationErrorCode.CHECKSUM_MISMATCH,
        `${object.key}: the bytes read do not match the recorded SHA-256.`,
      );
    }
    const head = await (await sides.check()).headObject(toKey);
    if (head.size !== copied.sizeBytes) {
      throw new MigrationException(
        MigrationErrorCode.SIZE_MISMATCH,
        `${toKey}: the new object has ${head.size} bytes, ${copied.sizeBytes} were written.`,
      );
    }
    return copied;
  }

  // ------------------------------------------------------------------------------------------ the end

  private async finish(migration: MigrationRow, counts: MigrationCounts, context: MigrationContext): Promise<MigrationOutcome> {
    const now = this.clock.now();
    const plan = finishPlan({
      failedItems: counts.failed,
      deleteSources: migration.deleteSources,
      finishedAt: now,
      graceMs: this.config.migration.sourceGraceMs,
    });
    const message =
      plan.status === 'completed'
        ? `Every media now lives in ${migration.toTarget.bucket}.${plan.deleteSourcesAfter ? ` The old copies are deleted after ${plan.deleteSourcesAfter.toISOString()}.` : ''}`
        : `${counts.failed} media could not be moved to ${migration.toTarget.bucket} and stay where they were; the others moved.`;
    if (!(await this.repository.finish(migration, plan, now, message)))
      return { status: 'skipped', reason: 'the migration had already finished' };
    this.logger.log({ msg: 'migration finished', migrationId: migration.id, status: plan.status, failedItems: counts.failed });
    if (plan.deleteSourcesAfter === null) {
      await this.repository.retireIfUnused(migration.fromTargetId);
    } else if (plan.deleteSourcesAfter.getTime() <= now.getTime()) {
      const finished = await this.repository.load(migration.id);
      if (finished !== null) await this.deleteOldCopies(finished, context);
    } else {
      await this.repository.enqueue(migration.id, plan.deleteSourcesAfter, context.correlationId ?? null);
    }
    return { status: plan.status, failedItems: counts.failed, deleteSourcesAfter: plan.deleteSourcesAfter?.toISOString() ?? null };
  }

  /**
   * After the grace period: the old copies of every switched media, deleted with `delete`
   * credentials on the old target — each media under the tenant's lock, skipped while another
   * migration of the studio is pending or running (it may be writing those very keys: a switch back),
   * kept when the media lives on the old target again. Then the old target is retired if unused.
   */
  private async deleteOldCopies(migration: MigrationRow, context: MigrationContext): Promise<MigrationOutcome> {
    if (!migration.deleteSources || migration.sourcesDeletedAt !== null) {
      const retired = await this.repository.retireIfUnused(migration.fromTargetId);
      return { status: 'skipped', reason: retired ? 'nothing to delete; the old target is retired' : 'nothing to delete' };
    }
    const now = this.clock.now();
    if (migration.deleteSourcesAfter === null || migration.deleteSourcesAfter.getTime() > now.getTime()) {
      return { status: 'deferred', reason: 'the grace period has not ended' };
    }
    if (migration.fromTarget.mode === 'isolated' && !migration.tenant.deleteObjectsEnabled) {
      await this.repository.keepSources(migration.id, 'The studio no longer lets Isola delete objects in its bucket: the old copies stay.');
      return { status: 'skipped', reason: 'the studio withdrew its opt-in to deletes' };
    }
    if (migration.fromTarget.status === 'revoked') return { status: 'deferred', reason: 'the old target is revoked' };

    const from = storageTargetRefFrom(migration.fromTarget);
    const credentials: CredentialRequestContext = {
      tenantSlug: migration.tenant.slug,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    };
    let cleaned = 0;
    for (;;) {
      const items = await this.repository.itemsWithOldCopies(migration.id, 100);
      if (items.length === 0) break;
      for (const item of items) {
        throwIfAborted(context.signal);
        const outcome = await this.repository.withTenantLock(migration.tenantId, async (tx) => {
          if ((await tx.migration.count({ where: { tenantId: migration.tenantId, status: { in: ['pending', 'running'] } } })) > 0)
            return 'busy';
          const still = await tx.migration.findUnique({ where: { id: migration.id }, select: { deleteSources: true } });
          if (!still?.deleteSources) return 'busy';
          const media = await tx.media.findUnique({
            where: { id: item.mediaId },
            include: { storageTarget: true, renditions: { include: { storageTarget: true } } },
          });
          const at = this.clock.now();
          if (media === null || media.storageTargetId === from.id || media.renditions.some((r) => r.storageTargetId === from.id)) {
            await tx.migrationItem.update({
              where: { id: item.id },
              data: { sourceDeletedAt: at, lastError: 'old copies kept: the media is stored in that target again' },
            });
            return 'kept';
          }
          const keys = [
            relocateKey(media.objectKey, media.storageTarget.prefix, from.prefix, media.id),
            ...media.renditions.map((r) => relocateKey(r.objectKey, r.storageTarget.prefix, from.prefix, media.id)),
          ];
          const store = this.stores.delete(from, media.id, credentials);
          for (const key of keys) await (await store()).deleteObject(key);
          await tx.migrationItem.update({ where: { id: item.id }, data: { sourceDeletedAt: at } });
          return 'deleted';
        });
        if (outcome === 'busy') return { status: 'deferred', reason: 'another migration of the studio is pending or running' };
        cleaned += 1;
      }
    }
    await this.repository.markSourcesDeleted(migration.id, this.clock.now());
    const retired = await this.repository.retireIfUnused(migration.fromTargetId);
    this.logger.log({ msg: 'old copies deleted', migrationId: migration.id, media: cleaned, retired });
    return { status: 'sources-deleted', media: cleaned, retired };
  }
}

/** Runs `work` on every item, at most `concurrency` at once; stops starting new ones once aborted. */
export async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      throwIfAborted(signal);
      const item = items[next++] as T;
      await work(item);
    }
  });
  const results = await Promise.allSettled(lanes);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('The migration job was stopped (shutting down); it is released for a retry.', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(new DOMException('The migration job was stopped (shutting down).', 'AbortError'));
    }
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}
