import { Logger } from '@nestjs/common';
import type { CredentialBroker } from '@isola/credentials';
import { STORAGE_ERROR_CODES, StorageError, StorageErrorCode, type StorageTargetRef } from '@isola/tenant-storage';
import { ApiException } from '../../common/api.exception.js';
import { STORAGE_ERROR_STATUS, StorageErrorMapper, storageErrorToApiException } from './storage-error.mapper.js';

const target: StorageTargetRef = {
  id: 't1',
  tenantId: 'tenant',
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  bucket: 'bucket',
  prefix: '',
  roleArn: 'arn:aws:iam:::role/r',
  externalId: 'x',
};

function brokerConfirming(verdict: StorageError): CredentialBroker & { confirmed: number; invalidated: string[] } {
  const broker = {
    confirmed: 0,
    invalidated: [] as string[],
    getCredentials: () => Promise.reject(new Error('unused')),
    confirmDenial: () => {
      broker.confirmed += 1;
      return Promise.resolve(verdict);
    },
    invalidate: (targetId: string) => void broker.invalidated.push(targetId),
  };
  return broker as unknown as CredentialBroker & { confirmed: number; invalidated: string[] };
}

describe('storage errors → HTTP', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('gives every storage code a status', () => {
    for (const code of STORAGE_ERROR_CODES) expect(STORAGE_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(STORAGE_ERROR_STATUS.STORAGE_ACCESS_REVOKED).toBe(409);
    expect(STORAGE_ERROR_STATUS.PERMISSION_DENIED).toBe(502);
    expect(STORAGE_ERROR_STATUS.STORAGE_UNAVAILABLE).toBe(503);
  });

  it('keeps the code, says whether to retry, and leaks no key or bucket', () => {
    const error = new StorageError(StorageErrorCode.STORAGE_THROTTLED, 'The storage service is throttling requests (SlowDown).', {
      details: { service: 's3', operation: 'ListParts', bucket: 'secret-bucket', key: 'a/b.mp4', httpStatus: 503 },
    });
    const mapped = storageErrorToApiException(error);
    expect(mapped.getStatus()).toBe(503);
    expect(mapped.getResponse()).toEqual({
      code: 'STORAGE_THROTTLED',
      message: error.message,
      details: { retryable: true, service: 's3', operation: 'ListParts' },
    });
  });

  it('confirms an S3 403 with the broker and reports its verdict', async () => {
    const revoked = new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'revoked');
    const broker = brokerConfirming(revoked);
    const denial = new StorageError(StorageErrorCode.PERMISSION_DENIED, 'denied', { details: { service: 's3', httpStatus: 403 } });
    const mapped = await new StorageErrorMapper(broker).toApi(denial, target, { purpose: 'link' }, {});
    expect(broker.confirmed).toBe(1);
    expect((mapped as ApiException).code).toBe('STORAGE_ACCESS_REVOKED');
    expect((mapped as ApiException).getStatus()).toBe(409);
  });

  it('runs the work once more with fresh credentials when S3 refuses but the role can be assumed (a re-created role)', async () => {
    const outOfScope = new StorageError(StorageErrorCode.PERMISSION_DENIED, 'The role can still be assumed.');
    const denial = () =>
      new StorageError(StorageErrorCode.PERMISSION_DENIED, 'AccessDenied', { details: { service: 's3', httpStatus: 403 } });

    // a stale credential: the second run (credentials dropped, so fetched afresh) succeeds
    const broker = brokerConfirming(outOfScope);
    let runs = 0;
    const result = await new StorageErrorMapper(broker).guard(target, { purpose: 'link' }, {}, async () => {
      runs += 1;
      if (runs === 1) throw denial();
      return 'done';
    });
    expect({ result, runs, confirmed: broker.confirmed, invalidated: broker.invalidated }).toEqual({
      result: 'done',
      runs: 2,
      confirmed: 1,
      invalidated: ['t1'],
    });

    // a role too narrow: refused again with fresh credentials → 502 PERMISSION_DENIED, no third run
    const narrow = brokerConfirming(outOfScope);
    runs = 0;
    const refused = new StorageErrorMapper(narrow).guard(target, { purpose: 'link' }, {}, async () => {
      runs += 1;
      throw denial();
    });
    await expect(refused).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect((await refused.catch((e: ApiException) => e)).getStatus()).toBe(502);
    expect({ runs, confirmed: narrow.confirmed, invalidated: narrow.invalidated }).toEqual({ runs: 2, confirmed: 2, invalidated: ['t1'] });

    // a revocation is reported at once: no second run
    const revokedBroker = brokerConfirming(new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'revoked'));
    runs = 0;
    await expect(
      new StorageErrorMapper(revokedBroker).guard(target, { purpose: 'link' }, {}, async () => {
        runs += 1;
        throw denial();
      }),
    ).rejects.toMatchObject({ code: 'STORAGE_ACCESS_REVOKED' });
    expect({ runs, invalidated: revokedBroker.invalidated }).toEqual({ runs: 1, invalidated: [] });
  });

  it('does not confirm other errors, and passes non-storage errors through', async () => {
    const broker = brokerConfirming(new StorageError(StorageErrorCode.PERMISSION_DENIED, 'x'));
    const mapper = new StorageErrorMapper(broker);
    const unavailable = new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'down', { details: { service: 'sts' } });
    expect(((await mapper.toApi(unavailable, target, { purpose: 'link' }, {})) as ApiException).getStatus()).toBe(503);
    const bug = new RangeError('bug');
    expect(await mapper.toApi(bug, target, { purpose: 'link' }, {})).toBe(bug);
    expect(broker.confirmed).toBe(0);
    await expect(mapper.guard(target, { purpose: 'link' }, {}, () => Promise.reject(unavailable))).rejects.toBeInstanceOf(ApiException);
  });
});
