import { StorageError, StorageErrorCode } from '@isola/tenant-storage';
import { describeRevocation } from './describe-revocation.js';

describe('describeRevocation', () => {
  it('names the operation, the HTTP status and the provider code', () => {
    const error = new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'gone', {
      details: { service: 'sts', operation: 'AssumeRole', httpStatus: 403, awsCode: 'AccessDenied' },
    });
    expect(describeRevocation(error)).toBe('AssumeRole refused (HTTP 403, AccessDenied)');
  });

  it("leaves out what is unknown (RGW's bare statuses come without a code)", () => {
    const bare = new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'gone', { details: { httpStatus: 403, awsCode: 'Unknown' } });
    expect(describeRevocation(bare)).toBe('AssumeRole refused (HTTP 403)');
    expect(describeRevocation(new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'gone'))).toBe('AssumeRole refused');
  });
});
