import { Injectable, Logger } from '@nestjs/common';
import { LoggingCredentialEvents } from '@isola/credentials';

/** What the worker does with the broker's events: it logs them (see ApiCredentialEvents). */
@Injectable()
export class WorkerCredentialEvents extends LoggingCredentialEvents {
  constructor() {
    super(new Logger('CredentialBroker'));
  }
}
