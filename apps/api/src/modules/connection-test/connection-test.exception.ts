import { ConnectionTestErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';

export { ConnectionTestErrorCode };

/** Errors of POST /api/tenant/storage/targets/:id/verify besides the guard's (codes: @isola/contracts). */
export class ConnectionTestException extends ApiException {
  static targetNotFound(): ConnectionTestException {
    return new ConnectionTestException(404, ConnectionTestErrorCode.TargetNotFound, 'No such storage target.');
  }

  static inProgress(): ConnectionTestException {
    return new ConnectionTestException(
      409,
      ConnectionTestErrorCode.TestInProgress,
      'A connection test of this storage target is already running: wait for its result.',
    );
  }
}
