import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  CredentialBroker,
  describeRevocation,
  LoggingCredentialEvents,
  type AccessRestoredEvent,
  type RevocationConfirmedEvent,
} from '@isola/credentials';
import { PrismaClient, StorageStatusEvents } from '@isola/database';
import { Clock } from '@isola/runtime';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';

/**
 * What the API does with the broker's events. Besides logging them:
 * - a confirmed revocation marks the target `revoked` (audit row + notice for the tenant's admins,
 *   once per revocation: `markTargetRevoked` is idempotent), first re-check by the worker after
 *   REVOCATION_FIRST_RECHECK_MS (config). From then on the database row is what stops minting (every path refuses
 *   a revoked row without calling STS), so the broker's in-memory backoff for the target is dropped:
 *   once the worker or an admin restores the row, this process assumes the role again at once.
 * - access seen again (a backoff probe succeeded) restores a row still marked revoked.
 *
 * The broker calls these synchronously on the request path: the writes run in the background
 * (StorageStatusEvents: errors logged, never thrown) and are awaited before shutdown. Credential
 * audit rows are written by the request that minted the credential (DECISIONS.md).
 */
@Injectable()
export class ApiCredentialEvents extends LoggingCredentialEvents implements BeforeApplicationShutdown {
  private readonly status: StorageStatusEvents;

  constructor(
    prisma: PrismaClient,
    clock: Clock,
    private readonly moduleRef: ModuleRef,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    super(new Logger('CredentialBroker'));
    this.status = new StorageStatusEvents({
      prisma,
      clock,
      logger: new Logger('StorageStatus'),
      source: 'api',
      firstRecheckMs: config.revocation.firstRecheckMs,
      transcodeGrantSeconds: config.uploads.transcodeGrantSeconds,
    });
  }

  override onRevocationConfirmed(event: RevocationConfirmedEvent): void {
    super.onRevocationConfirmed(event);
    const report = { target: event.target, reason: describeRevocation(event.error), correlationId: event.context.correlationId };
    this.status.markRevoked(report, ({ status }) => {
      // The row guards from now on (see the class comment).
      if (status === 'revoked') this.moduleRef.get(CredentialBroker, { strict: false }).invalidate(event.target.id);
    });
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
