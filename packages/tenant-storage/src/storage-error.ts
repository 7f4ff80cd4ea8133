/** Domain error codes for everything that touches tenant storage (S3, STS, IAM). */
export const StorageErrorCode = {
  /** The studio revoked Isola's access: role deleted, trust policy changed, ExternalId mismatch. */
  STORAGE_ACCESS_REVOKED: 'STORAGE_ACCESS_REVOKED',
  /** The target's configuration is wrong (region, endpoint, role settings, bucket setup). */
  STORAGE_MISCONFIGURED: 'STORAGE_MISCONFIGURED',
  BUCKET_NOT_FOUND: 'BUCKET_NOT_FOUND',
  /** A request was denied although the role is still assumable (its permissions are too narrow). */
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  STORAGE_THROTTLED: 'STORAGE_THROTTLED',
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  OBJECT_NOT_FOUND: 'OBJECT_NOT_FOUND',
} as const;

export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export const STORAGE_ERROR_CODES: readonly StorageErrorCode[] = Object.values(StorageErrorCode);

export type AwsService = 's3' | 'sts' | 'iam';

/** Context for logs and audit. Never holds credentials, tokens or presigned URLs. */
export interface StorageErrorDetails {
  service?: AwsService;
  /** SDK operation, e.g. `PutObject`, `AssumeRole`. */
  operation?: string;
  /** IAM action involved, e.g. `s3:PutObject`. */
  action?: string;
  targetId?: string;
  bucket?: string;
  key?: string;
  httpStatus?: number;
  /** The provider's own error code (`AccessDenied`, `SlowDown`, `Unknown`…). */
  awsCode?: string;
  requestId?: string;
}

/** Only transient conditions are worth retrying; a denial never is. */
export function isRetryableStorageErrorCode(code: StorageErrorCode): boolean {
  return code === StorageErrorCode.STORAGE_THROTTLED || code === StorageErrorCode.STORAGE_UNAVAILABLE;
}

export interface StorageErrorOptions {
  /** Defaults to `isRetryableStorageErrorCode(code)`. */
  retryable?: boolean;
  details?: StorageErrorDetails;
  cause?: unknown;
}

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly retryable: boolean;
  readonly details: StorageErrorDetails;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? isRetryableStorageErrorCode(code);
    this.details = options.details ?? {};
  }
}

export function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError;
}
