import { Injectable, Logger } from '@nestjs/common';
import { CredentialEvents, type AccessRestoredEvent, type CredentialIssuedEvent, type RevocationConfirmedEvent } from '@isola/credentials';

/**
 * What the API does with the broker's events. Audit rows are written by the request that minted the
 * credential (DECISIONS.md), so `onIssued` only logs; revocations are logged here and acted on by
 * the storage-status feature (mark the target revoked, notify the studio's admins).
 */
@Injectable()
export class ApiCredentialEvents extends CredentialEvents {
  private readonly logger = new Logger('CredentialBroker');

  onIssued(event: CredentialIssuedEvent): void {
    this.logger.debug({
      msg: 'credential issued',
      purpose: event.scope.purpose,
      sessionName: event.sessionName,
      targetId: event.target.id,
      expiresAt: event.expiresAt.toISOString(),
      correlationId: event.context.correlationId,
    });
  }

  onRevocationConfirmed(event: RevocationConfirmedEvent): void {
    this.logger.warn({ msg: 'storage access revoked', targetId: event.target.id, tenantId: event.target.tenantId, code: event.error.code });
  }

  onAccessRestored(event: AccessRestoredEvent): void {
    this.logger.log({ msg: 'storage access restored', targetId: event.target.id, tenantId: event.target.tenantId });
  }
}
