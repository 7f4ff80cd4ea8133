import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  describeRevocation,
  LoggingCredentialEvents,
  type AccessRestoredEvent,
  type CredentialIssuedEvent,
  type RevocationConfirmedEvent,
} from '@isola/credentials';
import { PrismaClient, StorageStatusEvents } from '@isola/database';
import { Clock } from '@isola/runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';

/**
 * What the worker does with the broker's events (see ApiCredentialEvents): every credential it mints
 * gets an audit row (the API audits per request instead); a transcode or migration
 * that hit a confirmed denial marks the target revoked (audit row + notice, once per revocation; the
 * first re-check after REVOCATION_RECHECK_BASE_MS), and a backoff probe that got through restores a
 * row still marked revoked. The writes run in the background (StorageStatusEvents: errors logged) and
 * are awaited before shutdown. Unlike the API, the broker keeps its in-memory backoff: transcodes do
 * not read the row.
 */
@Injectable()
export class WorkerCredentialEvents extends LoggingCredentialEvents implements BeforeApplicationShutdown {
  private readonly status: StorageStatusEvents;

  constructor(prisma: PrismaClient, clock: Clock, @Inject(WORKER_CONFIG) config: WorkerConfig) {
    super(new Logger('CredentialBroker'));
    this.status = new StorageStatusEvents({
      prisma,
      clock,
      logger: new Logger('StorageStatus'),
      source: 'worker',
      firstRecheckMs: config.revocation.baseMs,
      transcodeGrantSeconds: config.revocation.resumeGrantSeconds,
    });
  }

  /** Every credential the worker mints is in the studio's audit log (promise 6): one row per AssumeRole. */
  override onIssued(event: CredentialIssuedEvent): void {
    super.onIssued(event);
    const { scope } = event;
    const details: Record<string, string> = {};
    if ('mediaId' in scope) details['mediaId'] = scope.mediaId;
    if (scope.purpose === 'migrate') details['side'] = scope.side;
    if (scope.purpose === 'transcode') details['grantExpiresAt'] = scope.grantExpiresAt.toISOString();
    this.status.recordIssued({
      target: event.target,
      purpose: scope.purpose,
      sessionName: event.sessionName,
      expiresAt: event.expiresAt,
      objectKeys: event.policyKeys,
      correlationId: event.context.correlationId,
      details,
    });
  }

  override onRevocationConfirmed(event: RevocationConfirmedEvent): void {
    super.onRevocationConfirmed(event);
    this.status.markRevoked({ target: event.target, reason: describeRevocation(event.error), correlationId: event.context.correlationId });
  }

  override onAccessRestored(event: AccessRestoredEvent): void {
    super.onAccessRestored(event);
    this.status.markRestored({ target: event.target, correlationId: event.context.correlationId });
  }

  /** Resolves once every status write started so far has ended (shutdown; tests). */
  settled(): Promise<void> {
    return this.status.settled();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.status.settled();
  }
}
