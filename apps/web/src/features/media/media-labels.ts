import type { MediaDto, MediaKind, MediaStatus } from '@isola/contracts';

// Records keyed by the contract's unions: a new kind or status fails the type check until it has a label.
// (Runtime lists are kept here rather than imported so the zod schemas stay out of the browser bundle.)
export const KIND_LABELS: Record<MediaKind, string> = {
  video: 'Video',
  image: 'Image',
  audio: 'Audio',
  document: 'Document',
  other: 'Other',
};

export const STATUS_LABELS: Record<MediaStatus, string> = {
  uploading: 'Uploading',
  uploaded: 'Queued',
  transcoding: 'Transcoding',
  ready: 'Ready',
  failed: 'Failed',
  deleted: 'Deleted',
};

export const MEDIA_KINDS = Object.keys(KIND_LABELS) as MediaKind[];
export const MEDIA_STATUSES = Object.keys(STATUS_LABELS) as MediaStatus[];

export function isMediaKind(value: string | null): value is MediaKind {
  return value !== null && Object.hasOwn(KIND_LABELS, value);
}

export function isMediaStatus(value: string | null): value is MediaStatus {
  return value !== null && Object.hasOwn(STATUS_LABELS, value);
}

/** The worker is still on it: the API's answer will change, so screens poll. */
export function isProcessing(status: MediaStatus): boolean {
  return status === 'uploading' || status === 'uploaded' || status === 'transcoding';
}

/** What a placeholder says while a media item is not ready: "Transcoding 40%". */
export function processingLabel(media: Pick<MediaDto, 'status' | 'progress'>): string {
  switch (media.status) {
    case 'uploading':
      return 'Uploading…';
    case 'uploaded':
      return 'Waiting to transcode';
    case 'transcoding':
      return `Transcoding ${media.progress}%`;
    case 'failed':
      return 'Processing failed';
    case 'deleted':
      return 'Deleted';
    case 'ready':
      return 'Ready';
  }
}
