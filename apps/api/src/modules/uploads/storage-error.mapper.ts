import { Injectable, Logger } from '@nestjs/common';
import { CredentialBroker, type CredentialRequestContext, type CredentialScope } from '@isola/credentials';
import { isStorageError, StorageErrorCode, type StorageError, type StorageTargetRef } from '@isola/tenant-storage';
import { storageErrorToApiException } from '../../common/storage-errors.js';

export { STORAGE_ERROR_STATUS, storageErrorToApiException, targetRevokedException } from '../../common/storage-errors.js';

/**
 * Runs storage work done with broker credentials and turns its StorageErrors into ApiExceptions.
 * An S3 denial (403) is confirmed with the broker first (`confirmDenial`: a fresh AssumeRole tells
 * a revoked role from a too-narrow one), and its verdict is what the client is told.
 */
@Injectable()
export class StorageErrorMapper {
  private readonly logger = new Logger('StorageErrors');

  constructor(private readonly broker: CredentialBroker) {}

  async guard<T>(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw await this.toApi(error, target, scope, context);
    }
  }

  /** The error to throw for `error` (non-storage errors are returned unchanged). */
  async toApi(error: unknown, target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext): Promise<unknown> {
    if (!isStorageError(error)) return error;
    const verdict = isS3Denial(error) ? await this.broker.confirmDenial(target, scope, context) : error;
    this.logger.warn({
      msg: 'storage error',
      code: verdict.code,
      original: verdict === error ? undefined : error.code,
      service: error.details.service,
      operation: error.details.operation,
      httpStatus: error.details.httpStatus,
      awsCode: error.details.awsCode,
      targetId: target.id,
      purpose: scope.purpose,
      correlationId: context.correlationId,
    });
    return storageErrorToApiException(verdict);
  }
}

function isS3Denial(error: StorageError): boolean {
  return error.code === StorageErrorCode.PERMISSION_DENIED && error.details.service === 's3' && (error.details.httpStatus ?? 403) === 403;
}
