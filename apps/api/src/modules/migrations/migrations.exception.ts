import { MigrationErrorCode } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';
import type { ActivationRefusal } from './plan-activation.js';

export { MigrationErrorCode };

/** Errors of the mode switch and migration routes (codes: @isola/contracts migrations.ts). */
export class MigrationsException extends ApiException {
  static targetNotFound(): MigrationsException {
    return new MigrationsException(404, MigrationErrorCode.TargetNotFound, 'No such storage target.');
  }

  static migrationNotFound(): MigrationsException {
    return new MigrationsException(404, MigrationErrorCode.MigrationNotFound, 'No such migration.');
  }

  static hostedUnavailable(): MigrationsException {
    return new MigrationsException(
      409,
      MigrationErrorCode.HostedStorageUnavailable,
      'Hosted storage is not configured on this platform: there is no hosted target to switch to.',
    );
  }

  static refused(reason: ActivationRefusal): MigrationsException {
    switch (reason) {
      case 'already-active':
        return new MigrationsException(409, MigrationErrorCode.TargetAlreadyActive, 'This storage target already receives your uploads.');
      case 'migration-in-progress':
        return new MigrationsException(
          409,
          MigrationErrorCode.MigrationInProgress,
          'A migration of your media is still pending or running: switch again once it has finished.',
        );
      case 'not-verified':
        return new MigrationsException(
          409,
          MigrationErrorCode.TargetNotVerified,
          'This storage target has not passed the connection test: run it (verify) before activating the target.',
        );
    }
  }
}
