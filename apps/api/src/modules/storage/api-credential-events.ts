import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CredentialBroker, LoggingCredentialEvents, type AccessRestoredEvent, type RevocationConfirmedEvent } from '@isola/credentials';
import { PrismaClient, markTargetRestored, markTargetRevoked } from '@isola/database';
import { Clock } from '@isola/runtime';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { describeRevocation } from './describe-revocation.js';

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
 * (errors logged, never thrown) and are awaited before shutdown. Credential audit rows are written
 * by the request that minted the credential (DECISIONS.md).
 */
@Injectable()
export class ApiCredentialEvents extends LoggingCredentialEvents implements BeforeApplicationShutdown {
  private readonly writes = new Set<Promise<void>>();
  private readonly errors = new Logger('StorageStatus');

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    super(new Logger('CredentialBroker'));
  }

  override onRevocationConfirmed(event: RevocationConfirmedEvent): void {
    super.onRevocationConfirmed(event);
    const at = this.clock.now();
    const targetId = event.target.id;
    this.inBackground('mark the target revoked', targetId, async () => {
      const result = await markTargetRevoked(this.prisma, {
        targetId,
        reason: describeRevocation(event.error),
        at,
        nextCheckAt: new Date(at.getTime() + this.config.revocation.firstRecheckMs),
        source: 'api',
        correlationId: event.context.correlationId ?? null,
      });
      if (result.changed) this.logger.warn({ msg: 'storage target marked revoked', targetId, tenantId: event.target.tenantId });
      // The row guards from now on (see the class comment).
      if (result.status === 'revoked') this.moduleRef.get(CredentialBroker, { strict: false }).invalidate(targetId);
    });
  }

  override onAccessRestored(event: AccessRestoredEvent): void {
    super.onAccessRestored(event);
    const at = this.clock.now();
    this.inBackground('restore the target', event.target.id, async () => {
      await markTargetRestored(this.prisma, {
        targetId: event.target.id,
        at,
        by: 'recheck',
        correlationId: event.context.correlationId ?? null,
        transcodeGrantSeconds: this.config.uploads.transcodeGrantSeconds,
      });
    });
  }

  /** Resolves once every status write started so far has ended (shutdown; tests). */
  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  private inBackground(what: string, targetId: string, write: () => Promise<void>): void {
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.errors.error({ msg: `could not ${what}`, targetId, error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => this.writes.delete(running));
    this.writes.add(running);
  }
}
