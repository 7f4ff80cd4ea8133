import {
  CredentialEvents,
  type AccessRestoredEvent,
  type CredentialIssuedEvent,
  type RevocationConfirmedEvent,
} from './credential-events.port.js';

/** The few logger methods used (Nest's Logger and pino both fit). */
export interface EventLogger {
  debug(message: object): void;
  log(message: object): void;
  warn(message: object): void;
}

/**
 * Broker events as structured log lines (never credentials: events carry none). The apps extend it
 * when they act on an event (e.g. marking a target revoked); audit rows belong to the requests.
 */
export class LoggingCredentialEvents extends CredentialEvents {
  constructor(protected readonly logger: EventLogger) {
    super();
  }

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
