/**
 * Why one media could not be moved (recorded on its item as `CODE: message`). Every failure costs the
 * item an attempt; after MIGRATION_ITEM_ATTEMPTS it is `failed` and its pointer never moved.
 */
export const MigrationErrorCode = {
  /** The bytes read from the old target do not hash to the SHA-256 Isola recorded. */
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  /** The object read (or written) does not have the recorded size. */
  SIZE_MISMATCH: 'SIZE_MISMATCH',
  /** A ready media's source or rendition is missing from the old target. */
  OBJECT_NOT_FOUND: 'OBJECT_NOT_FOUND',
  /** Anything else (storage errors carry their own StorageErrorCode). */
  MIGRATION_FAILED: 'MIGRATION_FAILED',
} as const;

export type MigrationErrorCode = (typeof MigrationErrorCode)[keyof typeof MigrationErrorCode];

export class MigrationException extends Error {
  override readonly name = 'MigrationException';

  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** `CODE: message`, as stored in `lastError` (never a URL or credential: storage errors carry neither). */
export function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const text = typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `${code}: ${message}` : message;
  return text.replace(/https?:\/\/\S+/g, '<url>').slice(0, 1000);
}
