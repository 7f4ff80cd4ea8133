import { type SupportErrorCode } from '../audit.js';
import { type ConnectionTestErrorCode } from '../connection-test.js';
import { type CommonErrorCode } from '../errors.js';
import { type MembersErrorCode } from '../members.js';
import { type MigrationErrorCode } from '../migrations.js';
import { type NoticeErrorCode, type RecheckErrorCode } from '../notices.js';
import { type StorageTargetErrorCode } from '../storage-targets.js';
import { type MediaErrorCode, type UploadErrorCode } from '../uploads.js';

type CodeOf<T> = T[keyof T];

/** Every code of the `*ErrorCode` objects in @isola/contracts. */
export type ContractErrorCode =
  | CodeOf<typeof CommonErrorCode>
  | CodeOf<typeof UploadErrorCode>
  | CodeOf<typeof MediaErrorCode>
  | CodeOf<typeof SupportErrorCode>
  | CodeOf<typeof StorageTargetErrorCode>
  | CodeOf<typeof ConnectionTestErrorCode>
  | CodeOf<typeof MigrationErrorCode>
  | CodeOf<typeof MembersErrorCode>
  | CodeOf<typeof NoticeErrorCode>
  | CodeOf<typeof RecheckErrorCode>;

/**
 * Codes the API answers with that are defined outside this package (it cannot import them: both
 * depend on it). The API's openapi integration test checks these against their sources:
 * - `AuthErrorCode` (apps/api/src/modules/auth/auth.exception.ts);
 * - `StorageErrorCode` (packages/tenant-storage/src/storage-error.ts), sent with the status of
 *   `STORAGE_ERROR_STATUS` (apps/api/src/common/storage-errors.ts);
 * - `REQUEST_FAILED`, the exception filter's code for an HTTP error that carries none.
 */
export type ExternalErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'LOGIN_RATE_LIMITED'
  | 'STORAGE_ACCESS_REVOKED'
  | 'STORAGE_MISCONFIGURED'
  | 'BUCKET_NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'STORAGE_THROTTLED'
  | 'STORAGE_UNAVAILABLE'
  | 'OBJECT_NOT_FOUND'
  | 'REQUEST_FAILED';

/** Every `code` an error response of the API can carry. */
export type ApiErrorCode = ContractErrorCode | ExternalErrorCode;

export interface ErrorCodeInfo {
  /** The HTTP status the code is always sent with; null when it varies (REQUEST_FAILED). */
  status: number | null;
  /** One line, for the OpenAPI document. */
  description: string;
}

/**
 * Every error code with its HTTP status and meaning: the `Error` schema's enum, in this order. The
 * `satisfies` clause makes a new contract code that is missing here a compile error.
 */
export const ERROR_CODE_CATALOG = {
  // ── any route (apps/api common/)
  VALIDATION_FAILED: { status: 400, description: 'The path, query or body breaks a rule; details.fields names each problem.' },
  MALFORMED_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  NOT_FOUND: { status: 404, description: 'No route answers this method and path.' },
  UNAUTHENTICATED: { status: 401, description: 'No valid session cookie: sign in first.' },
  FORBIDDEN: { status: 403, description: "The session's role does not allow this route." },
  CSRF_REJECTED: { status: 403, description: 'A state-changing request without a same-origin Origin (or Sec-Fetch-Site) header.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is over 1 MiB.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected error on the server; it has been logged.' },
  DATABASE_UNAVAILABLE: { status: 503, description: 'PostgreSQL is unreachable or restarting: retry the same request shortly.' },
  REQUEST_FAILED: { status: null, description: 'Any other HTTP error that carries no code of its own (the status says which).' },
  // ── sign-in
  INVALID_CREDENTIALS: { status: 401, description: 'The email or password is not correct.' },
  LOGIN_RATE_LIMITED: {
    status: 429,
    description: 'Too many sign-in attempts; details.retryAfterSeconds and Retry-After say when to retry.',
  },
  // ── storage (any route that touches the studio's bucket)
  STORAGE_ACCESS_REVOKED: {
    status: 409,
    description: "The studio revoked Isola's access to the storage target (role, trust policy or ExternalId).",
  },
  STORAGE_MISCONFIGURED: {
    status: 409,
    description: "The storage target's configuration is wrong (region, endpoint, role or bucket setup).",
  },
  BUCKET_NOT_FOUND: { status: 409, description: "The storage target's bucket does not exist." },
  OBJECT_NOT_FOUND: { status: 409, description: 'An object (or multipart upload) Isola expected is missing from the bucket.' },
  PERMISSION_DENIED: {
    status: 502,
    description: "The storage service refused a request Isola's role should allow (its permissions are too narrow).",
  },
  STORAGE_THROTTLED: { status: 503, description: 'The storage service is throttling requests: retry later.' },
  STORAGE_UNAVAILABLE: { status: 503, description: 'The storage service is unreachable: retry later.' },
  // ── uploads (/api/s3/…)
  MULTIPART_REQUIRED: { status: 400, description: 'Single-request uploads are not offered: use multipart (shouldUseMultipart: true).' },
  INVALID_SIZE: { status: 400, description: 'metadata.size is missing, not a whole number, zero or negative.' },
  UPLOAD_TOO_LARGE: { status: 400, description: "The declared size is over the studio's upload limit (or S3's 5 TiB)." },
  FILENAME_TOO_LONG: { status: 400, description: 'The filename is longer than 4,096 characters.' },
  INVALID_PART_NUMBER: {
    status: 400,
    description: 'A part number is not an integer in 1…10,000 (or partNumbers is not a list of distinct ones).',
  },
  PART_TOO_SMALL: { status: 400, description: 'At completion, a part other than the last is smaller than 5 MiB.' },
  INVALID_PART: { status: 400, description: 'At completion, a listed part was not uploaded, its ETag differs, or a part number repeats.' },
  SIZE_MISMATCH: { status: 422, description: 'The stored bytes do not add up to the declared size; the upload is marked failed.' },
  UPLOAD_NOT_FOUND: { status: 404, description: 'No such upload for this user in this studio.' },
  UPLOAD_KEY_MISMATCH: { status: 400, description: "The key sent back is not the upload's key." },
  UPLOAD_ALREADY_COMPLETED: { status: 409, description: 'The upload was completed already.' },
  UPLOAD_ABORTED: { status: 409, description: 'The upload was aborted (or failed): start a new one.' },
  NO_ACTIVE_STORAGE_TARGET: { status: 409, description: 'The studio has no active storage target to upload to.' },
  STORAGE_TARGET_NOT_ACTIVE: { status: 409, description: "The studio's storage target is not in a state that accepts uploads." },
  // ── media
  MEDIA_NOT_FOUND: { status: 404, description: "No such media in the caller's studio (also for malformed ids and deleted media)." },
  MEDIA_NOT_READY: { status: 409, description: 'The source is not stored yet (uploading) or its upload failed: no link to give.' },
  MEDIA_NOT_REPROCESSABLE: { status: 409, description: 'The media is still uploading or transcoding, or has no stored source.' },
  INVALID_CURSOR: { status: 400, description: 'The cursor is not one this list handed out.' },
  // ── storage targets, connection test, activation, re-check
  STORAGE_TARGET_INVALID: { status: 400, description: 'The submitted storage target breaks a rule; details.issues lists each.' },
  STORAGE_TARGET_DUPLICATE: {
    status: 409,
    description: 'The studio already has a target on this bucket whose prefix is, or overlaps, this one.',
  },
  STORAGE_TARGET_NOT_FOUND: { status: 404, description: "No such storage target in the caller's studio." },
  STORAGE_TARGET_NOT_ISOLATED: {
    status: 409,
    description: "Setup kits and ExternalIds are for isolated targets (hosted ones use the platform's role).",
  },
  STORAGE_TARGET_WRONG_STATE: {
    status: 409,
    description: "The target's state forbids the change (e.g. regenerating an active target's ExternalId).",
  },
  SETUP_KIT_UNAVAILABLE: {
    status: 503,
    description: "This deployment does not name Isola's principal ARNs (PLATFORM_TRUSTED_PRINCIPAL_ARNS).",
  },
  CONNECTION_TEST_IN_PROGRESS: { status: 409, description: 'A connection test of this storage target is already running.' },
  TARGET_NOT_VERIFIED: {
    status: 409,
    description: 'An isolated target must pass the connection test (status verified) before it is activated.',
  },
  TARGET_ALREADY_ACTIVE: { status: 409, description: "The target already receives the studio's uploads." },
  MIGRATION_IN_PROGRESS: {
    status: 409,
    description: 'A migration of this studio is still pending or running; switch again once it has finished.',
  },
  HOSTED_STORAGE_UNAVAILABLE: {
    status: 409,
    description: 'The platform has no hosted storage configured (isolated → hosted is unavailable).',
  },
  MIGRATION_NOT_FOUND: { status: 404, description: "No such migration in the caller's studio." },
  TARGET_NOT_REVOKED: { status: 409, description: 'The target is not revoked: run the connection test (…/verify) instead.' },
  // ── notices
  NOTICE_NOT_FOUND: { status: 404, description: "No such notice in the caller's studio." },
  // ── members
  MEMBER_NOT_FOUND: { status: 404, description: 'No member of this studio has that id.' },
  USER_NOT_FOUND: { status: 404, description: 'No Isola account has that email (the person signs up first).' },
  ALREADY_MEMBER: { status: 409, description: 'That person is already a member of this studio.' },
  LAST_ADMIN: { status: 409, description: 'The change would leave the studio without an admin.' },
  // ── support access
  SUPPORT_ACCESS_NOT_ALLOWED: {
    status: 409,
    description: 'Support grants are for studios whose media Isola hosts (not isolated, not without storage).',
  },
  SUPPORT_ACCESS_DENIED: {
    status: 403,
    description: "Staff reach a studio's media only through a live support grant, and never an isolated studio's.",
  },
  SUPPORT_GRANT_NOT_FOUND: { status: 404, description: 'No such support grant in this studio.' },
} as const satisfies Record<ApiErrorCode, ErrorCodeInfo>;

/** The codes in catalog order (each once). */
export const API_ERROR_CODES = Object.keys(ERROR_CODE_CATALOG) as ApiErrorCode[];

/** Storage errors a route that uses the studio's bucket can answer with (mapped by the API from StorageErrorCode). */
export const STORAGE_ERROR_CODES = [
  'STORAGE_ACCESS_REVOKED',
  'STORAGE_MISCONFIGURED',
  'BUCKET_NOT_FOUND',
  'OBJECT_NOT_FOUND',
  'PERMISSION_DENIED',
  'STORAGE_THROTTLED',
  'STORAGE_UNAVAILABLE',
] as const satisfies readonly ApiErrorCode[];
