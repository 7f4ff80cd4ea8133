import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@isola/runtime';
import { isStorageError, StorageErrorCode, storageTargetRefFrom, type StorageTargetRef } from '@isola/tenant-storage';
import type { CredentialRequestContext } from '@isola/credentials';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { copyObject, PartBuffers, type CopiedObject } from './copy-object.js';
import { describeFailure, MigrationErrorCode, MigrationException } from './migration.exception.js';
import { MigrationRepository, type MovingMedia, type MigrationRow, type MovableItem } from './migration.repository.js';
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
import { pipelineItems, throwIfAborted } from './pipeline-items.js';
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

/** One media's three storage sides, each a `migrate` credential scoped to that media's prefix. */
interface MediaSides {
  /** Read on the old target. */
  read: StoreSource;
  /** Write on the new target. */
  write: StoreSource;
  /** Read on the new target (the HEAD check). */
  check: StoreSource;
  /**
   * Has the three credentials issued now (the broker caches them until used); settles when they
   * are, never rejects: a failure is met again, and handled, by the request that needs the credential.
   */
  prefetch(): Promise<unknown>;
}

interface CopiedMediaObject {
  object: PlannedObject;
  toKey: string;
  /** Null: a failed media's source that was never stored (nothing copied). */
  copied: CopiedObject | null;
}

/** What the lane hands to the settle stage. */
interface CopiedMedia {
  status: 'copied';
  media: MovingMedia;
  objects: CopiedMediaObject[];
  sides: MediaSides;
  copyMs: number;
}

type CopyStage = CopiedMedia | { status: 'done'; result: ItemResult };

/** An item made ready ahead of its lane: its credentials asked for, its media being read. */
interface PreparedItem {
  sides: MediaSides;
  /**
   * The media as read when the item was prepared (a moment before it is copied; read again if that
   * was over SNAPSHOT_MAX_AGE_MS before). Whatever changes after the read — as after any read during
   * a copy — is caught by the switch, which moves the pointers only if the locked row still matches.
   */
  media: Promise<MovingMedia | null>;
  /** When the media was read (clock ms). */
  readAt: number;
  /** Settles (never rejects) once the media was read and the credentials were issued or refused. */
  ready: Promise<unknown>;
}

/** Items fetched per pass; a pass is followed by re-planning (media that arrived meanwhile). */
const PASS_SIZE = 500;

/**
 * A media read ahead of its copy is read again when it is older than this at the copy's start (the
 * media before it took long: big objects), so a copy rarely starts from a stale list of objects.
 */
const SNAPSHOT_MAX_AGE_MS = 10_000;

/**
 * One `Storage.Migrate` run (DECISIONS.md; issue 6 "mode switch"). Running migration:
 *   plan (an item per media on the old target) → copy the movable ones, `concurrency` at a time
 *   (stream, hash, verify size + SHA-256), then HEAD the new objects and switch each media's pointer
 *   in one transaction — behind the lanes, which copy the next media meanwhile (movePass) → re-plan
 *   (uploads that were in flight at the switch) → … → finish.
 * Media still uploading/transcoding on the old target are waited for without a busy loop: the run
 * ends (`waiting`) and comes back through the outbox `MIGRATION_WAIT_MS` later.
 * Finished migration whose old copies are due: delete them (`delete` credentials), then retire the old
 * target when nothing points at it any more.
 *
 * Resumable and idempotent: all state is in the items. A restarted run skips switched items, copies
 * the other active ones again onto the same keys (overwrite: never a duplicate) and recomputes the
 * counters from the items.
 */
/**
 * Media prepared (read, credentials asked for) beyond the ones the lanes have claimed. One is enough
 * for a lane never to wait for AssumeRole; more only crowded the first copies with STS calls (with
 * `concurrency`, 24 AssumeRoles preceded the first copies: the 24 × 12 MiB bench copied 0.80–0.82 of
 * the raw rate, 0.83–0.86 with one; none at all: 0.74–0.81).
 */
const PREPARE_AHEAD = 1;

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
    // progress (totals, copied, failed) recomputed from the items: behind the copies while they run,
    // awaited before the run ends so the record is exact when it finishes or waits
    const refreshCounters = coalesce(() => this.repository.refreshCounters(migration.id));
    for (;;) {
      throwIfAborted(context.signal);
      await this.repository.plan(migration.id, from.id);
      // side by side: the counts and the movable items only ever look at media still on the old target
      // and not deleted, the very items skipGone leaves alone; the items are fetched alongside the
      // counts that say whether they are needed
      const [, counts, items] = await Promise.all([
        this.repository.skipGone(migration.id, from.id),
        this.repository.counts(migration.id, from.id),
        this.repository.movableItems(migration.id, from.id, PASS_SIZE),
      ]);
      const step = nextStep(counts);
      if (step === 'copy') this.refreshInBackground(refreshCounters, migration.id);
      else await refreshCounters();
      switch (step) {
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
      const { retries, mostAttempts } = await this.movePass(migration, items, from, to, refreshCounters, context);
      if (retries > 0) await sleep(retryDelayMs(mostAttempts, this.config.migration.waitMs), context.signal);
    }
  }

  // ------------------------------------------------------------------------------------------ one pass

  /**
   * Moves a pass's items on `concurrency` lanes, as a pipeline (pipelineItems): a lane copies one
   * media (GET → PUT, hashing on the way), hands it to the settle stage (HEAD-check the new objects,
   * switch the pointers) and starts copying its next media while that runs. One media ahead of the
   * lanes (PREPARE_AHEAD), each media is read from the database and its three `migrate` credentials
   * (read on the old target, write and read on the new one) are asked for, so the AssumeRole calls
   * overlap the copies in flight instead of preceding each media's requests; every request still
   * asks the broker again (renewed if it went stale meanwhile), and each credential is still scoped
   * to its one media's prefix. The progress counters are refreshed behind the lanes, one refresh at
   * a time.
   */
  private async movePass(
    migration: MigrationRow,
    items: readonly MovableItem[],
    from: StorageTargetRef,
    to: StorageTargetRef,
    refreshCounters: () => Promise<void>,
    context: MigrationContext,
  ): Promise<{ retries: number; mostAttempts: number }> {
    const credentials: CredentialRequestContext = {
      tenantSlug: migration.tenant.slug,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    };
    const prepared = new Map<string, PreparedItem>();
    const prepare = (item: MovableItem): PreparedItem => {
      let found = prepared.get(item.itemId);
      if (found === undefined) {
        const sides = this.mediaSides(from, to, item.mediaId, credentials);
        const media = this.repository.media(item.mediaId);
        found = { sides, media, readAt: this.clock.now().getTime(), ready: Promise.allSettled([media, sides.prefetch()]) };
        prepared.set(item.itemId, found);
      }
      return found;
    };
    // one part buffer per lane, reused from media to media (dropped with the pass)
    const buffers = new PartBuffers(this.config.migration.partSizeBytes);
    let retries = 0;
    let mostAttempts = 0;
    await pipelineItems(
      items,
      {
        concurrency: this.config.migration.concurrency,
        lookahead: PREPARE_AHEAD,
        ...(context.signal ? { signal: context.signal } : {}),
      },
      {
        prepare: (item) => (context.signal?.aborted ? undefined : prepare(item).ready),
        first: (item) => this.copyItem(migration, item, prepare(item), buffers, from, to, context),
        second: async (copied, item) => {
          const result = copied.status === 'copied' ? await this.settleItem(migration, item, copied, to, context) : copied.result;
          prepared.delete(item.itemId);
          if (result === 'retry') {
            retries += 1;
            mostAttempts = Math.max(mostAttempts, item.attempts + 1);
          }
          this.refreshInBackground(refreshCounters, migration.id);
        },
      },
    );
    return { retries, mostAttempts };
  }

  /** Progress for the studio while the copies go on; a failure only delays it (the run's end refreshes again, awaited). */
  private refreshInBackground(refreshCounters: () => Promise<void>, migrationId: string): void {
    refreshCounters().catch((error: unknown) =>
      this.logger.warn({ msg: 'migration progress not refreshed, will retry', migrationId, error: describeFailure(error) }),
    );
  }

  private mediaSides(from: StorageTargetRef, to: StorageTargetRef, mediaId: string, credentials: CredentialRequestContext): MediaSides {
    const read = this.stores.read(from, mediaId, credentials);
    const write = this.stores.write(to, mediaId, credentials);
    const check = this.stores.read(to, mediaId, credentials);
    return {
      read,
      write,
      check,
      prefetch: () => Promise.allSettled([read(), write(), check()]),
    };
  }

  // ------------------------------------------------------------------------------------------ one media

  /**
   * The lane's part of one media: every object streamed to the new target with its size and SHA-256
   * checked against the record (copyVerified). A failure costs the item an attempt.
   */
  private async copyItem(
    migration: MigrationRow,
    item: MovableItem,
    { sides, media: prefetched, readAt }: PreparedItem,
    buffers: PartBuffers,
    from: StorageTargetRef,
    to: StorageTargetRef,
    context: MigrationContext,
  ): Promise<CopyStage> {
    const startedAt = performance.now();
    const stale = this.clock.now().getTime() - readAt > SNAPSHOT_MAX_AGE_MS;
    const media = await (stale ? this.repository.media(item.mediaId) : prefetched);
    // deleted, moved or back in flight since it was listed: the next pass sorts it out
    if (media === null || media.storageTargetId !== from.id || mediaReadiness(media.status) !== 'movable')
      return { status: 'done', result: 'not-movable' };
    const buffer = buffers.take();
    try {
      const objects: CopiedMediaObject[] = [];
      for (const object of plannedObjects(media)) {
        const toKey = relocateKey(object.key, from.prefix, to.prefix, media.id);
        objects.push({ object, toKey, copied: await this.copyVerified(sides, media, object, toKey, buffer, context.signal) });
      }
      return { status: 'copied', media, objects, sides, copyMs: performance.now() - startedAt };
    } catch (error) {
      if (context.signal?.aborted) throw error;
      return { status: 'done', result: await this.recordFailure(migration, item, media.id, error, context) };
    } finally {
      buffers.give(buffer); // every request that read it has settled: copyObject sends one part at a time
    }
  }

  /**
   * Behind the lane: the new objects' HEAD shows the sizes written, then the media's pointers switch
   * in one transaction (only if the media is still exactly what was copied). A failure costs the item
   * an attempt; nothing points at the new copies unless all of them were verified.
   */
  private async settleItem(
    migration: MigrationRow,
    item: MovableItem,
    copied: CopiedMedia,
    to: StorageTargetRef,
    context: MigrationContext,
  ): Promise<ItemResult> {
    const { media } = copied;
    const startedAt = performance.now();
    try {
      let sourceKey = media.objectKey;
      let sourceSha256: string | null = null;
      const renditionKeys = new Map<string, string>();
      for (const { toKey, copied: written } of copied.objects) {
        if (written === null) continue; // nothing was stored (a failed media without its source)
        const head = await (await copied.sides.check()).headObject(toKey);
        if (head.size !== written.sizeBytes) {
          throw new MigrationException(
            MigrationErrorCode.SIZE_MISMATCH,
            `${toKey}: the new object has ${head.size} bytes, ${written.sizeBytes} were written.`,
          );
        }
      }
      for (const { object, toKey, copied: written } of copied.objects) {
        if (object.ref === 'source') {
          sourceKey = toKey;
          if (object.sha256 === null && written !== null) sourceSha256 = written.sha256;
        } else {
          renditionKeys.set(object.ref.renditionId, toKey);
        }
      }
      const switched = await this.repository.switchItem({
        itemId: item.itemId,
        toTargetId: to.id,
        copied: media,
        sourceKey,
        renditionKeys,
        sourceSha256,
        now: this.clock.now(),
      });
      this.logger.debug({
        msg: 'media migrated',
        migrationId: migration.id,
        mediaId: media.id,
        outcome: switched,
        copyMs: Math.round(copied.copyMs),
        settleMs: Math.round(performance.now() - startedAt),
      });
      if (switched === 'switched') return 'switched';
      return switched === 'changed' ? 'changed' : 'not-movable';
    } catch (error) {
      return this.recordFailure(migration, item, media.id, error, context);
    }
  }

  private async recordFailure(
    migration: MigrationRow,
    item: MovableItem,
    mediaId: string,
    error: unknown,
    context: MigrationContext,
  ): Promise<'retry' | 'failed'> {
    const message = describeFailure(error);
    const status = await this.repository.recordFailure(item.itemId, message, this.config.migration.itemAttempts);
    this.logger.warn({
      msg: status === 'failed' ? 'media could not be migrated, giving up' : 'media migration attempt failed, will retry',
      migrationId: migration.id,
      mediaId,
      attempt: item.attempts + 1,
      error: message,
      correlationId: context.correlationId,
    });
    return status === 'failed' ? 'failed' : 'retry';
  }

  /**
   * Copies one object and checks what was read: the bytes hash to the recorded SHA-256 (when one is
   * recorded) and have the recorded size (the new object's size is HEAD-checked in settleItem). Null
   * when a failed media has no stored source (its upload never completed): nothing to copy.
   */
  private async copyVerified(
    sides: MediaSides,
    media: MovingMedia,
    object: PlannedObject,
    toKey: string,
    buffer: Buffer,
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
        buffer,
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

/**
 * `task` behind a gate: a call while a run is in flight waits for it and then starts one more run,
 * shared by every call made meanwhile (at most one run in flight, one waiting). Each call resolves
 * once a run that started after it has finished.
 */
function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let waiting: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const run = task().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (waiting !== undefined) return waiting;
    if (running === undefined) return start();
    const queued = running
      .catch(() => undefined)
      .then(() => {
        waiting = undefined;
        return start();
      });
    waiting = queued;
    return queued;
  };
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
