import { RecheckErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

/** Errors of the re-check route besides storage errors (codes: @isola/contracts). */
export class TargetRecheckException extends ApiException {
  static notFound(): TargetRecheckException {
    return new TargetRecheckException(404, RecheckErrorCode.TargetNotFound, 'No such storage target.');
  }

  static notRevoked(status: string): TargetRecheckException {
    return new TargetRecheckException(
      409,
      RecheckErrorCode.TargetNotRevoked,
      `This storage target is ${status}, not revoked: run the connection test to check it.`,
      { status },
    );
  }
}
