/**
 * The migration's decisions, as pure functions over plain values: which objects a media owns, whether
 * a media can be moved now, what the job does next, and how a finished migration ends. The service
 * orchestrates them; the repository stores what they decide.
 */

/** Media statuses as the migration sees them (mirrors the database enum). */
export type MediaStatus = 'uploading' | 'uploaded' | 'transcoding' | 'ready' | 'failed' | 'deleted';

/**
 * - `movable`: the media's objects no longer change (ready, or failed for good): copy and switch now;
 * - `in-flight`: an upload or a transcode still writes to the old target: wait, the job comes back;
 * - `gone`: deleted meanwhile: nothing to move.
 */
export type MediaReadiness = 'movable' | 'in-flight' | 'gone';

export function mediaReadiness(status: MediaStatus): MediaReadiness {
  switch (status) {
    case 'ready':
    case 'failed':
      return 'movable';
    case 'uploading':
    case 'uploaded':
    case 'transcoding':
      return 'in-flight';
    case 'deleted':
      return 'gone';
  }
}

export interface MediaSnapshot {
  id: string;
  status: MediaStatus;
  storageTargetId: string;
  objectKey: string;
  sizeBytes: bigint;
  contentType: string;
  /** The SHA-256 the worker computed from the stored bytes; null until one was computed. */
  sha256Verified: string | null;
  renditions: RenditionSnapshot[];
}

export interface RenditionSnapshot {
  id: string;
  kind: string;
  storageTargetId: string;
  objectKey: string;
  sizeBytes: bigint;
  sha256: string;
  contentType: string;
}

/** One object to copy: the source or a rendition, with what it must hash to. */
export interface PlannedObject {
  /** `source`, or the rendition's id. */
  ref: 'source' | { renditionId: string };
  key: string;
  sizeBytes: bigint;
  contentType: string;
  /** Expected SHA-256; null for a source never hashed (computed while copying, then recorded). */
  sha256: string | null;
}

export function plannedObjects(media: MediaSnapshot): PlannedObject[] {
  return [
    { ref: 'source', key: media.objectKey, sizeBytes: media.sizeBytes, contentType: media.contentType, sha256: media.sha256Verified },
    ...media.renditions.map((r) => ({
      ref: { renditionId: r.id },
      key: r.objectKey,
      sizeBytes: r.sizeBytes,
      contentType: r.contentType,
      sha256: r.sha256,
    })),
  ];
}

/** What an item counts for the migration's totals. */
export function itemTotals(media: Pick<MediaSnapshot, 'sizeBytes' | 'renditions'>): { objects: number; bytes: bigint } {
  return {
    objects: 1 + media.renditions.length,
    bytes: media.renditions.reduce((sum, r) => sum + r.sizeBytes, media.sizeBytes),
  };
}

/**
 * Whether the media is still exactly what was copied: same target, status still movable, same source
 * and the same renditions (ids, keys, checksums). Checked again inside the switch transaction, with the
 * media row locked: a re-process or a rename of the key that slipped in between sends the item back
 * to `pending` (copied again), so a pointer never moves to stale copies.
 */
export function unchangedSince(copied: MediaSnapshot, now: MediaSnapshot): boolean {
  if (now.storageTargetId !== copied.storageTargetId || mediaReadiness(now.status) !== 'movable') return false;
  if (now.objectKey !== copied.objectKey || now.sizeBytes !== copied.sizeBytes) return false;
  if (copied.sha256Verified !== null && now.sha256Verified !== copied.sha256Verified) return false;
  if (now.renditions.length !== copied.renditions.length) return false;
  const before = new Map(copied.renditions.map((r) => [r.id, r]));
  return now.renditions.every((r) => {
    const b = before.get(r.id);
    return b !== undefined && b.objectKey === r.objectKey && b.sha256 === r.sha256 && b.sizeBytes === r.sizeBytes;
  });
}

export interface MigrationCounts {
  /** Pending (or verified, not yet switched) items whose media can be moved now. */
  movable: number;
  /** Pending items whose media is still uploading or transcoding on the old target. */
  inFlight: number;
  failed: number;
}

export type NextStep = 'copy' | 'wait' | 'finish';

/** After (re-)planning: copy what can be moved; otherwise wait for in-flight media; otherwise finish. */
export function nextStep(counts: MigrationCounts): NextStep {
  if (counts.movable > 0) return 'copy';
  if (counts.inFlight > 0) return 'wait';
  return 'finish';
}

export interface FinishPlan {
  status: 'completed' | 'failed';
  /** Earliest time the old copies may be deleted; null when they are kept. */
  deleteSourcesAfter: Date | null;
}

/** A migration with failed items ends `failed` (the others did move); old copies wait out the grace period. */
export function finishPlan(input: { failedItems: number; deleteSources: boolean; finishedAt: Date; graceMs: number }): FinishPlan {
  return {
    status: input.failedItems > 0 ? 'failed' : 'completed',
    deleteSourcesAfter: input.deleteSources ? new Date(input.finishedAt.getTime() + input.graceMs) : null,
  };
}

/** Delay before retrying items whose last attempt failed: 1 s, 2 s, 4 s… capped. */
export function retryDelayMs(attempts: number, capMs: number): number {
  return Math.min(capMs, 1000 * 2 ** Math.max(0, attempts - 1));
}
