import { classifyAwsError, storageErrorFromAws, type AwsErrorInfo } from './classify-aws-error.js';
import { StorageError, StorageErrorCode, isRetryableStorageErrorCode } from './storage-error.js';

type Row = [AwsErrorInfo, StorageErrorCode, boolean, string];
const summary = (info: AwsErrorInfo) => {
  const c = classifyAwsError(info);
  return [c.code, c.retryable, c.recovery];
};

describe('classifyAwsError', () => {
  describe('by AWS error code', () => {
    it.each<Row>([
      // STS AssumeRole
      [
        { name: 'AccessDenied', httpStatus: 403, service: 'sts', operation: 'AssumeRole' },
        'STORAGE_ACCESS_REVOKED',
        false,
        'recheck-revocation',
      ],
      [
        { name: 'NoSuchEntity', httpStatus: 404, service: 'sts', operation: 'AssumeRole' },
        'STORAGE_ACCESS_REVOKED',
        false,
        'recheck-revocation',
      ],
      [
        { name: 'MalformedPolicyDocument', httpStatus: 400, service: 'sts', operation: 'AssumeRole' },
        'STORAGE_MISCONFIGURED',
        false,
        'none',
      ],
      [{ name: 'PackedPolicyTooLarge', httpStatus: 400, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [
        { name: 'RegionDisabledException', httpStatus: 403, service: 'sts', operation: 'AssumeRole' },
        'STORAGE_MISCONFIGURED',
        false,
        'none',
      ],
      [{ name: 'ValidationError', httpStatus: 400, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ name: 'InvalidClientTokenId', httpStatus: 403, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', false, 'none'],
      [{ name: 'SignatureDoesNotMatch', httpStatus: 403, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', false, 'none'],
      [{ name: 'ExpiredToken', httpStatus: 400, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', false, 'none'],
      [{ name: 'Throttling', httpStatus: 400, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_THROTTLED', true, 'retry'],
      [{ name: 'IDPCommunicationError', httpStatus: 400, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'InternalFailure', httpStatus: 500, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'AccessDenied', httpStatus: 403, service: 'sts', operation: 'GetCallerIdentity' }, 'PERMISSION_DENIED', false, 'none'],
      // S3 with temporary credentials
      [
        { name: 'AccessDenied', httpStatus: 403, service: 's3', operation: 'PutObject' },
        'PERMISSION_DENIED',
        false,
        'confirm-with-assume-role',
      ],
      [
        { name: 'AllAccessDisabled', httpStatus: 403, service: 's3', operation: 'GetObject' },
        'PERMISSION_DENIED',
        false,
        'confirm-with-assume-role',
      ],
      [{ name: 'ExpiredToken', httpStatus: 400, service: 's3', operation: 'GetObject' }, 'PERMISSION_DENIED', false, 'refresh-credentials'],
      [
        { name: 'InvalidAccessKeyId', httpStatus: 403, service: 's3', operation: 'GetObject' },
        'PERMISSION_DENIED',
        false,
        'refresh-credentials',
      ],
      [{ name: 'InvalidToken', httpStatus: 400, service: 's3', operation: 'GetObject' }, 'PERMISSION_DENIED', false, 'refresh-credentials'],
      [{ name: 'SignatureDoesNotMatch', httpStatus: 403, service: 's3', operation: 'PutObject' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ name: 'NoSuchBucket', httpStatus: 404, service: 's3', operation: 'GetObject' }, 'BUCKET_NOT_FOUND', false, 'none'],
      [{ name: 'NoSuchKey', httpStatus: 404, service: 's3', operation: 'GetObject' }, 'OBJECT_NOT_FOUND', false, 'none'],
      [{ name: 'NoSuchUpload', httpStatus: 404, service: 's3', operation: 'UploadPart' }, 'OBJECT_NOT_FOUND', false, 'none'],
      [{ name: 'SlowDown', httpStatus: 503, service: 's3', operation: 'PutObject' }, 'STORAGE_THROTTLED', true, 'retry'],
      [{ name: 'ServiceUnavailable', httpStatus: 503, service: 's3', operation: 'PutObject' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'InternalError', httpStatus: 500, service: 's3', operation: 'PutObject' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'XAmzContentSHA256Mismatch', httpStatus: 400, service: 's3', operation: 'PutObject' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'BadDigest', httpStatus: 400, service: 's3', operation: 'UploadPart' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'RequestTimeout', httpStatus: 400, service: 's3', operation: 'UploadPart' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'OperationAborted', httpStatus: 409, service: 's3', operation: 'PutObject' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'PermanentRedirect', httpStatus: 301, service: 's3', operation: 'GetObject' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [
        { name: 'AuthorizationHeaderMalformed', httpStatus: 400, service: 's3', operation: 'GetObject' },
        'STORAGE_MISCONFIGURED',
        false,
        'none',
      ],
      [{ name: 'InvalidObjectState', httpStatus: 403, service: 's3', operation: 'GetObject' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ name: 'KMS.DisabledException', httpStatus: 400, service: 's3', operation: 'GetObject' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ name: 'RequestLimitExceeded', service: 's3', operation: 'GetObject' }, 'STORAGE_THROTTLED', true, 'retry'],
      // IAM (local admin identity, tests)
      [
        { name: 'NoSuchEntity', httpStatus: 404, service: 'iam', operation: 'GetRole' },
        'STORAGE_ACCESS_REVOKED',
        false,
        'recheck-revocation',
      ],
      [{ name: 'EntityAlreadyExists', httpStatus: 409, service: 'iam', operation: 'CreateRole' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ name: 'LimitExceeded', httpStatus: 409, service: 'iam', operation: 'CreateRole' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [
        { name: 'MalformedPolicyDocument', httpStatus: 400, service: 'iam', operation: 'PutRolePolicy' },
        'STORAGE_MISCONFIGURED',
        false,
        'none',
      ],
      [{ name: 'AccessDenied', httpStatus: 403, service: 'iam', operation: 'CreateRole' }, 'PERMISSION_DENIED', false, 'none'],
    ])('%j → %s, retryable %s, %s', (info, code, retryable, recovery) => {
      expect(summary(info)).toEqual([code, retryable, recovery]);
      expect(classifyAwsError(info).awsCode).toBe(info.name);
    });
  });

  describe("RGW's bare HTTP statuses (name Unknown)", () => {
    it.each<Row>([
      [{ name: 'Unknown', httpStatus: 400, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [
        { name: 'Unknown', httpStatus: 403, service: 'sts', operation: 'AssumeRole' },
        'STORAGE_ACCESS_REVOKED',
        false,
        'recheck-revocation',
      ],
      [
        { name: 'Unknown', httpStatus: 404, service: 'sts', operation: 'AssumeRole' },
        'STORAGE_ACCESS_REVOKED',
        false,
        'recheck-revocation',
      ],
      [{ name: 'Unknown', httpStatus: 404, service: 'iam', operation: 'GetRole' }, 'STORAGE_ACCESS_REVOKED', false, 'recheck-revocation'],
      [{ name: 'Unknown', httpStatus: 409, service: 'iam', operation: 'CreateRole' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ name: 'Unknown', httpStatus: 403, service: 'iam', operation: 'CreateRole' }, 'PERMISSION_DENIED', false, 'none'],
      [{ name: 'Unknown', httpStatus: 500, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'Unknown', httpStatus: 502, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_UNAVAILABLE', true, 'retry'],
      [{ name: 'Unknown', httpStatus: 503, service: 'sts', operation: 'AssumeRole' }, 'STORAGE_THROTTLED', true, 'retry'],
      [{ name: 'Unknown', httpStatus: 429, service: 's3', operation: 'PutObject' }, 'STORAGE_THROTTLED', true, 'retry'],
      [
        { name: 'UnknownError', httpStatus: 403, service: 's3', operation: 'GetObject' },
        'PERMISSION_DENIED',
        false,
        'confirm-with-assume-role',
      ],
      [{ name: 'NotFound', httpStatus: 404, service: 's3', operation: 'HeadObject' }, 'OBJECT_NOT_FOUND', false, 'none'],
      [{ name: 'NotFound', httpStatus: 404, service: 's3', operation: 'HeadBucket' }, 'BUCKET_NOT_FOUND', false, 'none'],
      [{ name: 'NotFound', service: 's3', operation: 'HeadObject' }, 'OBJECT_NOT_FOUND', false, 'none'],
      [
        { name: 'Forbidden', httpStatus: 403, service: 's3', operation: 'HeadObject' },
        'PERMISSION_DENIED',
        false,
        'confirm-with-assume-role',
      ],
      [{ httpStatus: 404, service: 's3', operation: 'ListObjectsV2' }, 'BUCKET_NOT_FOUND', false, 'none'],
      [{ httpStatus: 301, service: 's3', operation: 'HeadBucket' }, 'STORAGE_MISCONFIGURED', false, 'none'],
      [{ httpStatus: 400, service: 's3', operation: 'PutObject' }, 'STORAGE_MISCONFIGURED', false, 'none'],
    ])('%j → %s, retryable %s, %s', (info, code, retryable, recovery) => {
      expect(summary(info)).toEqual([code, retryable, recovery]);
    });
  });

  describe('network failures without an HTTP response', () => {
    it.each<AwsErrorInfo>([
      { name: 'Error', code: 'ECONNREFUSED', service: 's3', operation: 'PutObject' },
      { name: 'Error', code: 'ECONNRESET', service: 'sts', operation: 'AssumeRole' },
      { name: 'TimeoutError', service: 's3', operation: 'GetObject' },
      { code: 'ENOTFOUND', service: 's3', operation: 'HeadBucket' },
      { service: 's3', operation: 'GetObject' },
    ])('%j → unavailable, retryable', (info) => {
      expect(summary(info)).toEqual(['STORAGE_UNAVAILABLE', true, 'retry']);
    });
  });

  it('lets a specific code win over the status', () => {
    expect(summary({ name: 'SlowDown', httpStatus: 400, service: 's3', operation: 'PutObject' })).toEqual([
      'STORAGE_THROTTLED',
      true,
      'retry',
    ]);
    expect(summary({ name: 'Unknown', code: 'NoSuchKey', httpStatus: 404, service: 's3', operation: 'GetObject' })).toEqual([
      'OBJECT_NOT_FOUND',
      false,
      'none',
    ]);
  });

  it('never marks a denial as retryable', () => {
    const denials: AwsErrorInfo[] = [
      { name: 'AccessDenied', service: 's3', operation: 'GetObject' },
      { name: 'AccessDenied', service: 'sts', operation: 'AssumeRole' },
      { name: 'Unknown', httpStatus: 403, service: 'sts', operation: 'AssumeRole' },
      { name: 'Unknown', httpStatus: 401, service: 's3', operation: 'GetObject' },
    ];
    for (const info of denials) expect(classifyAwsError(info).retryable).toBe(false);
  });

  it('is retryable exactly for throttled and unavailable outcomes (except rejected platform keys)', () => {
    const infos: AwsErrorInfo[] = [400, 401, 403, 404, 409, 429, 500, 503].flatMap((httpStatus) =>
      (['s3', 'sts', 'iam'] as const).map((service) => ({ name: 'Unknown', httpStatus, service, operation: 'AssumeRole' })),
    );
    for (const info of infos) {
      const c = classifyAwsError(info);
      expect(c.retryable).toBe(isRetryableStorageErrorCode(c.code));
    }
  });

  it('explains the revocation case', () => {
    expect(classifyAwsError({ name: 'AccessDenied', httpStatus: 403, service: 'sts', operation: 'AssumeRole' }).reason).toBe(
      'Isola can no longer assume the role: it was deleted, its trust policy no longer trusts Isola, or the ExternalId does not match.',
    );
  });
});

describe('storageErrorFromAws', () => {
  it('builds a StorageError with details and cause', () => {
    const cause = new Error('sdk');
    const error = storageErrorFromAws(
      { name: 'AccessDenied', httpStatus: 403, service: 's3', operation: 'PutObject' },
      { action: 's3:PutObject', bucket: 'b', key: 'p/media/m1/source/a.mp4', targetId: 't1' },
      cause,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('StorageError');
    expect(error.code).toBe(StorageErrorCode.PERMISSION_DENIED);
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({
      action: 's3:PutObject',
      bucket: 'b',
      key: 'p/media/m1/source/a.mp4',
      targetId: 't1',
      service: 's3',
      operation: 'PutObject',
      httpStatus: 403,
      awsCode: 'AccessDenied',
    });
  });

  it('keeps the raw name when only the status was usable', () => {
    const error = storageErrorFromAws({ name: 'Unknown', httpStatus: 503, service: 'sts', operation: 'AssumeRole' });
    expect(error.code).toBe('STORAGE_THROTTLED');
    expect(error.retryable).toBe(true);
    expect(error.details).toEqual({ service: 'sts', operation: 'AssumeRole', httpStatus: 503, awsCode: 'Unknown' });
  });
});

describe('StorageError', () => {
  it('defaults retryable from the code', () => {
    expect(new StorageError('STORAGE_THROTTLED', 'x').retryable).toBe(true);
    expect(new StorageError('STORAGE_UNAVAILABLE', 'x').retryable).toBe(true);
    expect(new StorageError('PERMISSION_DENIED', 'x').retryable).toBe(false);
    expect(new StorageError('OBJECT_NOT_FOUND', 'x', { retryable: true }).retryable).toBe(true);
    expect(new StorageError('OBJECT_NOT_FOUND', 'x').details).toEqual({});
  });
});
