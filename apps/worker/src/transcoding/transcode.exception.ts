/**
 * Why a transcode did not produce renditions. The code is what `media.failureReason` records and
 * what the API shows; the message goes to logs and the outbox row.
 */
export const TranscodeErrorCode = {
  /** The file is no audio, video or image Isola can read (e.g. text named `.mp4`). */
  UNSUPPORTED_MEDIA: 'UNSUPPORTED_MEDIA',
  /** A media container that is damaged: truncated, empty, unreadable. */
  CORRUPT_MEDIA: 'CORRUPT_MEDIA',
  /** The stored bytes do not hash to the SHA-256 the client declared at upload. */
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  /** The studio withdrew Isola's access to its bucket. */
  STORAGE_ACCESS_REVOKED: 'STORAGE_ACCESS_REVOKED',
  /** No live, unconsumed transcode grant: a tenant admin's "re-process" issues a fresh one. */
  TRANSCODE_GRANT_EXPIRED: 'TRANSCODE_GRANT_EXPIRED',
  /** The source object is not in the bucket. */
  SOURCE_NOT_FOUND: 'SOURCE_NOT_FOUND',
  /** The bucket or role does not allow what transcoding needs (role too narrow, bucket gone, region…). */
  STORAGE_MISCONFIGURED: 'STORAGE_MISCONFIGURED',
  /** Transient: storage throttled or unreachable. Retried with backoff; recorded when retries run out. */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /** Transient as far as anyone can tell: ffmpeg or the worker failed unexpectedly. Retried likewise. */
  TRANSCODE_FAILED: 'TRANSCODE_FAILED',
} as const;

export type TranscodeErrorCode = (typeof TranscodeErrorCode)[keyof typeof TranscodeErrorCode];

const RETRYABLE = new Set<TranscodeErrorCode>([TranscodeErrorCode.STORAGE_UNAVAILABLE, TranscodeErrorCode.TRANSCODE_FAILED]);

export class TranscodeException extends Error {
  override readonly name = 'TranscodeException';
  /** Worth another attempt (Bull retries with backoff); otherwise the media fails at once. */
  readonly retryable: boolean;

  constructor(
    readonly code: TranscodeErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = RETRYABLE.has(code);
  }
}

export function isTranscodeException(error: unknown): error is TranscodeException {
  return error instanceof TranscodeException;
}
