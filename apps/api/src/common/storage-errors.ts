import { StorageErrorCode, type StorageError } from '@isola/tenant-storage';
import { ApiException } from './api.exception.js';

/**
 * HTTP status per storage error code (the storage routes, and the global exception filter for any
 * StorageError that escapes a feature). The body keeps the domain code: `{ code: 'STORAGE_ACCESS_REVOKED', … }`.
 *
 * - 409: the tenant's storage is in a state the request cannot get past — access revoked by the
 *   studio, a misconfigured target, a missing bucket or object. A retry does not help; an admin can.
 * - 502: the storage service refused a request Isola believed allowed (role too narrow): upstream.
 * - 503: throttled or unreachable: transient, retry later (`details.retryable: true`).
 */
export const STORAGE_ERROR_STATUS: Readonly<Record<StorageErrorCode, number>> = {
  [StorageErrorCode.STORAGE_ACCESS_REVOKED]: 409,
  [StorageErrorCode.STORAGE_MISCONFIGURED]: 409,
  [StorageErrorCode.BUCKET_NOT_FOUND]: 409,
  [StorageErrorCode.OBJECT_NOT_FOUND]: 409,
  [StorageErrorCode.PERMISSION_DENIED]: 502,
  [StorageErrorCode.STORAGE_THROTTLED]: 503,
  [StorageErrorCode.STORAGE_UNAVAILABLE]: 503,
};

/** The ApiException a client gets for a storage error (no keys, URLs or credentials in it). */
export function storageErrorToApiException(error: StorageError): ApiException {
  const details: Record<string, unknown> = { retryable: error.retryable };
  if (error.details.service !== undefined) details['service'] = error.details.service;
  if (error.details.operation !== undefined) details['operation'] = error.details.operation;
  return new ApiException(STORAGE_ERROR_STATUS[error.code], error.code, error.message, details);
}

/** The error for a target the database already knows is revoked (no STS call needed). */
export function targetRevokedException(): ApiException {
  return new ApiException(
    STORAGE_ERROR_STATUS[StorageErrorCode.STORAGE_ACCESS_REVOKED],
    StorageErrorCode.STORAGE_ACCESS_REVOKED,
    "Isola's access to this storage target was revoked by the studio: an admin must restore the role or connect another target.",
    { retryable: false },
  );
}
