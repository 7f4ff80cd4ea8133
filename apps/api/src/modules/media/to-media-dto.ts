import type { MediaDto, RenditionDto } from '@isola/contracts';
import type { Rendition } from '@isola/database';
import type { MediaWithRenditions } from './media.repository.js';

/** The API's view of a media row (contracts `mediaSchema`): sizes as numbers, dates as ISO strings. */
export function toMediaDto(media: MediaWithRenditions): MediaDto {
  return {
    id: media.id,
    filename: media.filename,
    kind: media.kind,
    status: media.status,
    progress: media.progress,
    failureReason: media.failureReason,
    sizeBytes: Number(media.sizeBytes),
    contentType: media.contentType,
    sha256: media.sha256Verified ?? media.sha256,
    durationMs: media.durationMs,
    width: media.width,
    height: media.height,
    storageTargetId: media.storageTargetId,
    createdAt: media.createdAt.toISOString(),
    updatedAt: media.updatedAt.toISOString(),
    renditions: media.renditions.map(toRenditionDto),
  };
}

function toRenditionDto(rendition: Rendition): RenditionDto {
  return {
    kind: rendition.kind,
    sizeBytes: Number(rendition.sizeBytes),
    contentType: rendition.contentType,
    width: rendition.width,
    height: rendition.height,
    durationMs: rendition.durationMs,
    codec: rendition.codec,
  };
}
