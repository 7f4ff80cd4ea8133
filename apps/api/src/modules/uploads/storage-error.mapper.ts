import { Injectable, Logger } from '@nestjs/common';
import { CredentialBroker, type CredentialRequestContext, type CredentialScope } from '@isola/credentials';
import { isStorageError, StorageErrorCode, type StorageError, type StorageTargetRef } from '@isola/tenant-storage';
import { storageErrorToApiException } from '../../common/storage-errors.js';

export { STORAGE_ERROR_STATUS, storageErrorToApiException, targetRevokedException } from '../../common/storage-errors.js';

/**
 * Runs storage work done with broker credentials and turns its StorageErrors into ApiExceptions.
 * An S3 denial (403) is confirmed with the broker first (`confirmDenial`: a fresh AssumeRole tells
 * a revoked role from a too-narrow one), and its verdict is what the client is told.
 *
 * "Too narrow" (the AssumeRole succeeds) is concluded only with fresh credentials: a role the studio
 * deleted and created again under the same name — or whose permissions came after the credential —
 * refuses the earlier sessions while new ones work. So the first such denial drops the target's
 * cached credentials and runs the work once more; `run` must fetch its credentials from the broker
 * (a denied request changed nothing, so running it again is safe).
 */
@Injectable()
export class StorageErrorMapper {
  private readonly logger = new Logger('StorageErrors');

  constructor(private readonly broker: CredentialBroker) {}

  async guard<T>(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const verdict = await this.verdictOn(error, target, scope, context);
      if (!isOutOfScopeDenial(error, verdict)) throw toApiError(verdict);
    }
    // the role can be assumed, yet S3 refused: settle it with fresh credentials
    this.broker.invalidate(target.id);
    try {
      return await run();
    } catch (error) {
      throw toApiError(await this.verdictOn(error, target, scope, context));
    }
  }

  /** The error to throw for `error` (non-storage errors are returned unchanged). */
  async toApi(error: unknown, target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext): Promise<unknown> {
    return toApiError(await this.verdictOn(error, target, scope, context));
  }

  /** `error` itself, or for an S3 denial the broker's verdict on it (logged). */
  private async verdictOn(
    error: unknown,
    target: StorageTargetRef,
    scope: CredentialScope,
    context: CredentialRequestContext,
  ): Promise<unknown> {
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
    return verdict;
  }
}

function toApiError(verdict: unknown): unknown {
  return isStorageError(verdict) ? storageErrorToApiException(verdict) : verdict;
}

/** S3 refused, and a fresh AssumeRole worked (not a revocation): outside the credential's or the role's scope. */
function isOutOfScopeDenial(error: unknown, verdict: unknown): boolean {
  return isStorageError(error) && isS3Denial(error) && isStorageError(verdict) && verdict.code === StorageErrorCode.PERMISSION_DENIED;
}

function isS3Denial(error: StorageError): boolean {
  return error.code === StorageErrorCode.PERMISSION_DENIED && error.details.service === 's3' && (error.details.httpStatus ?? 403) === 403;
}
