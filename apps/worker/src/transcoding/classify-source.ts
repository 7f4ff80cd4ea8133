import type { MediaKind } from '@isola/database';
import { isMediaContainer, type Container } from './sniff-container.js';
import { TranscodeErrorCode } from './transcode.exception.js';

/** What to do with a source before probing it. */
export type SourceDecision =
  /** A media container: probe it and plan renditions. */
  | { action: 'probe' }
  /** Not media, and not announced as media: stored as it is, no renditions. */
  | { action: 'store'; kind: MediaKind }
  | { action: 'fail'; code: TranscodeErrorCode; message: string };

const MEDIA_KINDS: ReadonlySet<MediaKind> = new Set(['video', 'image', 'audio']);

/** Whether the upload announced audio, video or an image (the API derives `kind` from the Content-Type). */
export function isAnnouncedMedia(kind: MediaKind): boolean {
  return MEDIA_KINDS.has(kind);
}

/**
 * From the declared kind, the stored size and the sniffed container (pure):
 * - a media container → probe (whatever was declared: an MP4 sent as octet-stream still gets renditions);
 * - announced as media but empty → CORRUPT_MEDIA; announced as media but something else (text named
 *   `.mp4`) → UNSUPPORTED_MEDIA;
 * - anything else (a PDF, a zip…) → stored with no renditions (`document` for a PDF).
 */
export function classifySource(declared: MediaKind, sizeBytes: number, container: Container | null): SourceDecision {
  if (sizeBytes > 0 && isMediaContainer(container)) return { action: 'probe' };
  if (isAnnouncedMedia(declared)) {
    if (sizeBytes === 0) {
      return { action: 'fail', code: TranscodeErrorCode.CORRUPT_MEDIA, message: `The ${declared} file is empty (0 bytes).` };
    }
    return {
      action: 'fail',
      code: TranscodeErrorCode.UNSUPPORTED_MEDIA,
      message: `The file was uploaded as ${declared} but ${container === null ? 'is no format Isola recognises' : `is a ${container.toUpperCase()}`}.`,
    };
  }
  return { action: 'store', kind: container === 'pdf' ? 'document' : declared };
}
