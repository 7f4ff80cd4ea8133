import { Injectable, Logger } from '@nestjs/common';
import { LoggingCredentialEvents } from '@isola/credentials';

/**
 * What the API does with the broker's events: it logs them. Audit rows are written by the request
 * that minted the credential (DECISIONS.md); marking a target revoked and notifying the studio's
 * admins is the storage-status feature's (issue 6).
 */
@Injectable()
export class ApiCredentialEvents extends LoggingCredentialEvents {
  constructor() {
    super(new Logger('CredentialBroker'));
  }
}
