import { Injectable, Logger } from '@nestjs/common';
import { CredentialEvents, type AccessRestoredEvent, type CredentialIssuedEvent, type RevocationConfirmedEvent } from '@isola/credentials';

/**
 * What the worker does with the broker's events: it logs them. Audit rows belong to API requests
 * (DECISIONS.md); marking a target revoked and notifying the studio is the storage-status feature's.
 */
@Injectable()
export class WorkerCredentialEvents extends CredentialEvents {
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
