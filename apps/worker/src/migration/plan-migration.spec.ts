import {
  finishPlan,
  itemTotals,
  mediaReadiness,
  nextStep,
  plannedObjects,
  retryDelayMs,
  unchangedSince,
  type MediaSnapshot,
} from './plan-migration.js';

const media = (overrides: Partial<MediaSnapshot> = {}): MediaSnapshot => ({
  id: 'm1',
  status: 'ready',
  storageTargetId: 'old',
  objectKey: 'p/media/m1/source/a.mp4',
  sizeBytes: 100n,
  contentType: 'video/mp4',
  sha256Verified: 'aa',
  renditions: [
    {
      id: 'r1',
      kind: 'poster',
      storageTargetId: 'old',
      objectKey: 'p/media/m1/renditions/poster.jpg',
      sizeBytes: 10n,
      sha256: 'bb',
      contentType: 'image/jpeg',
    },
    {
      id: 'r2',
      kind: 'proxy',
      storageTargetId: 'old',
      objectKey: 'p/media/m1/renditions/proxy.mp4',
      sizeBytes: 50n,
      sha256: 'cc',
      contentType: 'video/mp4',
    },
  ],
  ...overrides,
});

describe('the migration plan', () => {
  it('moves ready and failed media now, waits for uploads and transcodes, skips deleted media', () => {
    expect(['ready', 'failed'].map((s) => mediaReadiness(s as MediaSnapshot['status']))).toEqual(['movable', 'movable']);
    expect(['uploading', 'uploaded', 'transcoding'].map((s) => mediaReadiness(s as MediaSnapshot['status']))).toEqual([
      'in-flight',
      'in-flight',
      'in-flight',
    ]);
    expect(mediaReadiness('deleted')).toBe('gone');
  });

  it('copies the source and every rendition, each with the checksum it must have', () => {
    expect(plannedObjects(media()).map((o) => [o.ref, o.key, o.sha256])).toEqual([
      ['source', 'p/media/m1/source/a.mp4', 'aa'],
      [{ renditionId: 'r1' }, 'p/media/m1/renditions/poster.jpg', 'bb'],
      [{ renditionId: 'r2' }, 'p/media/m1/renditions/proxy.mp4', 'cc'],
    ]);
    expect(plannedObjects(media({ sha256Verified: null }))[0]?.sha256).toBeNull(); // computed while copying
    expect(itemTotals(media())).toEqual({ objects: 3, bytes: 160n });
  });

  it('switches only a media that is still what was copied', () => {
    const copied = media();
    expect(unchangedSince(copied, media())).toBe(true);
    expect(unchangedSince(copied, media({ status: 'transcoding' }))).toBe(false); // re-processed meanwhile
    expect(unchangedSince(copied, media({ storageTargetId: 'elsewhere' }))).toBe(false);
    expect(unchangedSince(copied, media({ renditions: copied.renditions.slice(0, 1) }))).toBe(false);
    expect(unchangedSince(copied, media({ renditions: [copied.renditions[0]!, { ...copied.renditions[1]!, sha256: 'dd' }] }))).toBe(false);
    // a source hashed for the first time by someone else meanwhile: still the same bytes as far as the copy knows
    expect(unchangedSince(media({ sha256Verified: null }), media())).toBe(true);
    expect(unchangedSince(copied, media({ sha256Verified: 'zz' }))).toBe(false);
  });

  it('copies while anything is movable, then waits for in-flight media, then finishes', () => {
    expect(nextStep({ movable: 2, inFlight: 1, failed: 0 })).toBe('copy');
    expect(nextStep({ movable: 0, inFlight: 1, failed: 3 })).toBe('wait');
    expect(nextStep({ movable: 0, inFlight: 0, failed: 3 })).toBe('finish');
  });

  it('ends failed when any media failed; old copies are due a grace period after the end, only when deleted at all', () => {
    const finishedAt = new Date('2026-12-01T10:00:00Z');
    const week = 7 * 86_400_000;
    expect(finishPlan({ failedItems: 0, deleteSources: true, finishedAt, graceMs: week })).toEqual({
      status: 'completed',
      deleteSourcesAfter: new Date('2026-12-08T10:00:00Z'),
    });
    expect(finishPlan({ failedItems: 2, deleteSources: false, finishedAt, graceMs: week })).toEqual({
      status: 'failed',
      deleteSourcesAfter: null,
    });
  });

  it('backs off between attempts, capped', () => {
    expect([1, 2, 3, 10].map((a) => retryDelayMs(a, 5000))).toEqual([1000, 2000, 4000, 5000]);
  });
});
