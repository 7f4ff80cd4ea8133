import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { LoggingCredentialEvents, type AccessRestoredEvent, type RevocationConfirmedEvent } from '@isola/credentials';
import { PrismaClient, markTargetRestored, markTargetRevoked } from '@isola/database';
import { Clock } from '@isola/runtime';
import type { StorageError } from '@isola/tenant-storage';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';

/**
 * What the worker does with the broker's events (see ApiCredentialEvents): a transcode or migration
 * that hit a confirmed denial marks the target revoked (audit row + notice, once per revocation; the
 * first re-check after REVOCATION_RECHECK_BASE_MS), and a backoff probe that got through restores a
 * row still marked revoked. The writes run in the background (errors logged) and are awaited before
 * shutdown. Unlike the API, the broker keeps its in-memory backoff: transcodes do not read the row.
 */
@Injectable()
export class WorkerCredentialEvents extends LoggingCredentialEvents implements BeforeApplicationShutdown {
  private readonly writes = new Set<Promise<void>>();
  private readonly errors = new Logger('StorageStatus');

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    super(new Logger('CredentialBroker'));
  }

  override onRevocationConfirmed(event: RevocationConfirmedEvent): void {
    super.onRevocationConfirmed(event);
    const at = this.clock.now();
    this.inBackground('mark the target revoked', event.target.id, async () => {
      const result = await markTargetRevoked(this.prisma, {
        targetId: event.target.id,
        reason: describeRevocation(event.error),
        at,
        nextCheckAt: new Date(at.getTime() + this.config.revocation.baseMs),
        source: 'worker',
        correlationId: event.context.correlationId ?? null,
      });
      if (result.changed)
        this.logger.warn({ msg: 'storage target marked revoked', targetId: event.target.id, tenantId: event.target.tenantId });
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
        transcodeGrantSeconds: this.config.revocation.resumeGrantSeconds,
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

/** One line saying how STS refused, for the audit row (no secrets). */
function describeRevocation(error: StorageError): string {
  const facts = [
    error.details.httpStatus === undefined ? undefined : `HTTP ${error.details.httpStatus}`,
    error.details.awsCode === undefined || error.details.awsCode === 'Unknown' ? undefined : error.details.awsCode,
  ].filter((fact): fact is string => fact !== undefined);
  return `${error.details.operation ?? 'AssumeRole'} refused${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}
