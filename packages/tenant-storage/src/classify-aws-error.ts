import { StorageError, StorageErrorCode, type AwsService, type StorageErrorDetails } from './storage-error.js';

/**
 * Maps an error from S3, STS or IAM — AWS or an S3-compatible service — to a domain code, a retry
 * flag and what the caller should do next. Pure: adapters extract these fields from the SDK error
 * (`name`, `Code`, `$metadata.httpStatusCode`, or a Node `code` such as `ECONNRESET`).
 *
 * Ceph RGW answers STS and IAM calls with bodies the SDK cannot parse, so those errors arrive as
 * name `Unknown` and only the HTTP status means anything: 400 bad parameter, 403 denied,
 * 404 NoSuchEntity, 409 already exists, 429/503 slow down, other 5xx unavailable.
 */
export interface AwsErrorInfo {
  name?: string;
  code?: string;
  httpStatus?: number;
  service: AwsService;
  /** SDK operation name: `AssumeRole`, `PutObject`, `HeadBucket`… */
  operation: string;
}

/**
 * - `retry`: transient; retry with `backoffDelay`.
 * - `refresh-credentials`: the temporary credential expired or was not recognised; mint a fresh
 *   one and try once more.
 * - `confirm-with-assume-role`: S3 denied a request made with temporary credentials. Either the
 *   studio revoked access or the role's permissions are too narrow: a fresh AssumeRole tells which
 *   (its failure is STORAGE_ACCESS_REVOKED; its success leaves PERMISSION_DENIED).
 * - `recheck-revocation`: STS refused the role (deleted, trust changed, ExternalId mismatch). IAM is
 *   eventually consistent, so the broker marks the target suspected-revoked and re-checks on the
 *   `revocationBackoff` schedule before declaring it revoked.
 * - `none`: report the error (configuration, not-found, Isola-side faults).
 */
export type StorageErrorRecovery = 'retry' | 'refresh-credentials' | 'confirm-with-assume-role' | 'recheck-revocation' | 'none';

export interface AwsErrorClassification {
  code: StorageErrorCode;
  retryable: boolean;
  recovery: StorageErrorRecovery;
  /** Why, in words a tenant admin or operator can act on. */
  reason: string;
  /** The provider code used for the decision (absent when only the HTTP status was usable). */
  awsCode?: string;
}

// Names that say nothing beyond the HTTP status: SDK placeholders and HEAD-request names.
const GENERIC_NAMES = new Set([
  'Error',
  'Unknown',
  'UnknownError',
  'ServiceException',
  'S3ServiceException',
  'STSServiceException',
  'IAMServiceException',
]);
const STATUS_NAMES = new Map<string, number>([
  ['MovedPermanently', 301],
  ['BadRequest', 400],
  ['Unauthorized', 401],
  ['Forbidden', 403],
  ['NotFound', 404],
  ['Conflict', 409],
]);

const THROTTLING = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'BandwidthLimitExceeded',
]);
const TRANSIENT = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'RequestTimeTooSkewed',
  'OperationAborted',
  'TemporaryRedirect',
  'IDPCommunicationError',
  'TimeoutError',
  'NetworkingError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // the body did not match its signed SHA-256 or MD5: bytes corrupted on the way, sending them again helps
  'XAmzContentSHA256Mismatch',
  'BadDigest',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'AllAccessDisabled', 'AccountProblem']);
const BAD_CREDENTIAL = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidToken',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
]);
const NO_SUCH_ENTITY = new Set(['NoSuchEntity', 'NoSuchEntityException']);
const REJECTED_POLICY = new Set([
  'MalformedPolicyDocument',
  'MalformedPolicyDocumentException',
  'PackedPolicyTooLarge',
  'PackedPolicyTooLargeException',
]);
const WRONG_REGION = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);
const OBJECT_MISSING = new Set(['NoSuchKey', 'NoSuchVersion', 'NoSuchUpload']);

export function classifyAwsError(error: AwsErrorInfo): AwsErrorClassification {
  const awsCode = meaningfulCode(error);
  const status = error.httpStatus ?? (awsCode === undefined ? statusFromName(error) : undefined);
  if (awsCode !== undefined) {
    const byCode = classifyByCode(awsCode, error);
    if (byCode) return { ...byCode, awsCode };
  }
  return classifyByStatus(status, error);
}

/** `classifyAwsError` packaged as the domain error adapters throw. */
export function storageErrorFromAws(
  error: AwsErrorInfo,
  context: Omit<StorageErrorDetails, 'service' | 'operation' | 'httpStatus' | 'awsCode'> = {},
  cause?: unknown,
): StorageError {
  const classification = classifyAwsError(error);
  const details: StorageErrorDetails = { ...context, service: error.service, operation: error.operation };
  if (error.httpStatus !== undefined) details.httpStatus = error.httpStatus;
  const awsCode = classification.awsCode ?? error.name ?? error.code;
  if (awsCode !== undefined) details.awsCode = awsCode;
  return new StorageError(classification.code, classification.reason, {
    retryable: classification.retryable,
    details,
    cause,
  });
}

type Decision = Omit<AwsErrorClassification, 'awsCode'>;

function classifyByCode(code: string, error: AwsErrorInfo): Decision | undefined {
  const { service } = error;
  if (THROTTLING.has(code)) return throttled(`${serviceLabel(service)} is throttling requests (${code}).`);
  if (TRANSIENT.has(code)) return unavailable(`${serviceLabel(service)} could not be reached or failed (${code}).`);

  if (DENIED.has(code)) return denied(error);
  if (NO_SUCH_ENTITY.has(code)) return roleGone(service);

  if (BAD_CREDENTIAL.has(code)) {
    if (service === 's3') {
      return decision(
        StorageErrorCode.PERMISSION_DENIED,
        'refresh-credentials',
        `The temporary credential was rejected (${code}); a fresh one is needed.`,
      );
    }
    return platformCredentialsRejected(code);
  }
  if (code === 'SignatureDoesNotMatch') {
    return service === 's3'
      ? misconfigured(
          "The storage service rejected the request signature: check the endpoint (it must be the service's own address, without a proxy rewriting requests) and the region.",
        )
      : platformCredentialsRejected(code);
  }

  if (REJECTED_POLICY.has(code)) {
    return misconfigured(`STS rejected the session policy Isola sent (${code}). This is a fault in Isola, not in your setup.`);
  }
  if (code === 'RegionDisabledException') {
    return misconfigured(
      "STS is not activated in this region for the role's account: activate the region under IAM → Account settings, or use another region.",
    );
  }
  if (code === 'ValidationError' || code === 'InvalidInput' || code === 'InvalidParameterValue') {
    const hint = service === 'sts' ? ": check the role ARN, and that the role's maximum session duration is at least 1 hour" : '';
    return misconfigured(`${serviceLabel(service)} rejected a parameter (${code})${hint}.`);
  }
  if (code === 'EntityAlreadyExists' || code === 'EntityAlreadyExistsException' || code === 'DeleteConflict' || code === 'LimitExceeded') {
    return misconfigured(`${serviceLabel(service)} refused the change (${code}).`);
  }

  if (code === 'NoSuchBucket') {
    return decision(
      StorageErrorCode.BUCKET_NOT_FOUND,
      'none',
      'The bucket does not exist (or no longer exists): check the bucket name and region, or recreate the bucket.',
    );
  }
  if (OBJECT_MISSING.has(code)) return decision(StorageErrorCode.OBJECT_NOT_FOUND, 'none', `The object does not exist (${code}).`);
  if (WRONG_REGION.has(code)) {
    return misconfigured(`The bucket is not in the configured region (${code}): set the target's region to the bucket's region.`);
  }
  if (code === 'InvalidBucketName') return misconfigured('The storage service rejected the bucket name: check it.');
  if (code === 'InvalidObjectState') {
    return misconfigured("The object is archived (e.g. Glacier) and cannot be read: restore it or change the bucket's lifecycle rules.");
  }
  if (code.startsWith('KMS.')) {
    return misconfigured(
      `The bucket's KMS key cannot be used (${code}): allow the role to use the key, or change the bucket's encryption.`,
    );
  }
  return undefined;
}

function classifyByStatus(status: number | undefined, error: AwsErrorInfo): Decision {
  const { service } = error;
  const label = serviceLabel(service);
  if (status === undefined) return unavailable(`${label} could not be reached (no HTTP response).`);
  if (status === 429 || status === 503) return throttled(`${label} asked Isola to slow down (HTTP ${status}).`);
  if (status >= 500) return unavailable(`${label} failed (HTTP ${status}).`);
  if (status === 401 || status === 403) return denied(error);
  if (status === 404) {
    if (service !== 's3') return roleGone(service);
    return isBucketOperation(error.operation)
      ? decision(StorageErrorCode.BUCKET_NOT_FOUND, 'none', 'The bucket does not exist: check the bucket name and region.')
      : decision(StorageErrorCode.OBJECT_NOT_FOUND, 'none', 'The object does not exist.');
  }
  if (status >= 300 && status < 400) {
    return misconfigured(`${label} redirected the request (HTTP ${status}): the bucket's region or endpoint differs from the target's.`);
  }
  if (status === 409) return misconfigured(`${label} reported a conflict (HTTP 409): the resource already exists or is in use.`);
  return misconfigured(`${label} rejected the request (HTTP ${status}): check the target's settings and the provider's compatibility.`);
}

function denied(error: AwsErrorInfo): Decision {
  if (error.service === 'sts' && error.operation.startsWith('AssumeRole')) {
    return decision(
      StorageErrorCode.STORAGE_ACCESS_REVOKED,
      'recheck-revocation',
      'Isola can no longer assume the role: it was deleted, its trust policy no longer trusts Isola, or the ExternalId does not match.',
    );
  }
  if (error.service === 's3') {
    return decision(
      StorageErrorCode.PERMISSION_DENIED,
      'confirm-with-assume-role',
      "The storage service denied the request: the role's permissions do not allow it, or access was revoked.",
    );
  }
  return decision(StorageErrorCode.PERMISSION_DENIED, 'none', `${serviceLabel(error.service)} denied the request (${error.operation}).`);
}

function roleGone(service: AwsService): Decision {
  return decision(
    StorageErrorCode.STORAGE_ACCESS_REVOKED,
    'recheck-revocation',
    `The role no longer exists (${serviceLabel(service)}: NoSuchEntity): recreate it with the setup kit, or update the target's role ARN.`,
  );
}

// Isola's own static keys were refused: an operator problem, not the tenant's, hence not
// "misconfigured" (which tells the tenant admin to check their setup).
function platformCredentialsRejected(code: string): Decision {
  return decision(
    StorageErrorCode.STORAGE_UNAVAILABLE,
    'none',
    `Isola's platform credentials were rejected (${code}); an operator must fix them.`,
    false,
  );
}

function throttled(reason: string): Decision {
  return decision(StorageErrorCode.STORAGE_THROTTLED, 'retry', reason);
}

function unavailable(reason: string): Decision {
  return decision(StorageErrorCode.STORAGE_UNAVAILABLE, 'retry', reason);
}

function misconfigured(reason: string): Decision {
  return decision(StorageErrorCode.STORAGE_MISCONFIGURED, 'none', reason);
}

function decision(code: StorageErrorCode, recovery: StorageErrorRecovery, reason: string, retryable = recovery === 'retry'): Decision {
  return { code, retryable, recovery, reason };
}

function meaningfulCode({ name, code }: AwsErrorInfo): string | undefined {
  for (const candidate of [name, code]) {
    if (candidate !== undefined && candidate !== '' && !GENERIC_NAMES.has(candidate) && !STATUS_NAMES.has(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

function statusFromName({ name }: AwsErrorInfo): number | undefined {
  return name !== undefined ? STATUS_NAMES.get(name) : undefined;
}

function isBucketOperation(operation: string): boolean {
  return operation.includes('Bucket') || operation.startsWith('ListObjects') || operation === 'ListMultipartUploads';
}

function serviceLabel(service: AwsService): string {
  switch (service) {
    case 's3':
      return 'The storage service';
    case 'sts':
      return 'STS';
    case 'iam':
      return 'IAM';
  }
}
