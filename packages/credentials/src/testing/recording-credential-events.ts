import {
  CredentialEvents,
  type AccessRestoredEvent,
  type CredentialIssuedEvent,
  type RevocationConfirmedEvent,
} from '../credential-events.port.js';

/** Keeps every event, for tests. */
export class RecordingCredentialEvents extends CredentialEvents {
  readonly issued: CredentialIssuedEvent[] = [];
  readonly revocations: RevocationConfirmedEvent[] = [];
  readonly restored: AccessRestoredEvent[] = [];

  onIssued(event: CredentialIssuedEvent): void {
    this.issued.push(event);
  }

  onRevocationConfirmed(event: RevocationConfirmedEvent): void {
    this.revocations.push(event);
  }

  onAccessRestored(event: AccessRestoredEvent): void {
    this.restored.push(event);
  }
}
