import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CredentialBroker, type ScopedCredentials } from '@isola/credentials';
import { PrismaClient, markTargetRestored } from '@isola/database';
import { Clock } from '@isola/runtime';
import { isStorageError, storageTargetRefFrom, type StorageError } from '@isola/tenant-storage';
import { PollingLoop } from '../common/polling-loop.js';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { planRecheck } from './plan-recheck.js';
import { RevocationRepository, type TargetToRecheck } from './revocation.repository.js';

/** A claimed target is not handed to another worker before this (a re-check takes seconds at most). */
export const RECHECK_LEASE_MS = 120_000;
/** Targets claimed per pass. */
const BATCH = 20;

export interface RecheckResult {
  targetId: string;
  outcome: 'restored' | 'denied' | 'inconclusive';
  /** Null once restored. */
  nextCheckAt: Date | null;
}

/**
 * The worker's revocation re-checks (issue 6): every REVOCATION_RECHECK_INTERVAL_MS, the revoked
 * targets whose `next_check_at` has come are claimed (never checked by two workers at once), the
 * broker forgets each one (cached credentials, in-memory backoff) and assumes its role with the
 * minimal `verify` scope (one AssumeRole, its credential discarded):
 * - success → the target returns to its former status by itself (markTargetRestored: notice,
 *   audit row, transcodes the revocation stopped re-queued);
 * - denied → one more attempt counted, next check after a capped exponential backoff;
 * - STS throttled or unreachable (or anything else) → checked again later, not counted as a denial.
 */
@Injectable()
export class RevocationRecheckService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationRecheckService.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly repository: RevocationRepository,
    private readonly broker: CredentialBroker,
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    this.loop = new PollingLoop(
      async () => {
        await this.recheckDue();
      },
      config.revocation.intervalMs,
      (error) => this.logger.warn(`revocation re-check pass failed, will retry: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.revocation.enabled) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass over the due targets. */
  async recheckDue(): Promise<RecheckResult[]> {
    const now = this.clock.now();
    const due = await this.repository.claimDue(now, new Date(now.getTime() + RECHECK_LEASE_MS), BATCH);
    const results: RecheckResult[] = [];
    for (const target of due) results.push(await this.recheck(target));
    return results;
  }

  private async recheck(row: TargetToRecheck): Promise<RecheckResult> {
    const target = storageTargetRefFrom(row);
    this.broker.invalidate(target.id);
    let credentials: ScopedCredentials | undefined;
    let failure: StorageError | undefined;
    try {
      credentials = await this.broker.getCredentials(
        target,
        { purpose: 'verify' },
        { tenantSlug: row.tenant.slug, actor: 'job:revocation.recheck', correlationId: `recheck:${target.id}` },
      );
    } catch (error) {
      if (!isStorageError(error)) throw error;
      failure = error;
    }
    const at = this.clock.now();
    const verdict = planRecheck(failure, row.recheckAttempts, this.config.revocation);
    if (verdict.outcome === 'restored') {
      const restored = await markTargetRestored(this.prisma, {
        targetId: target.id,
        at,
        by: 'recheck',
        sessionName: credentials?.sessionName ?? null,
        correlationId: `recheck:${target.id}`,
        transcodeGrantSeconds: this.config.revocation.resumeGrantSeconds,
      });
      if (restored.changed) {
        this.logger.log({
          msg: 'storage access restored',
          targetId: target.id,
          tenantId: target.tenantId,
          resumedMedia: restored.resumedMedia.length,
        });
      }
      return { targetId: target.id, outcome: 'restored', nextCheckAt: null };
    }
    const nextCheckAt = new Date(at.getTime() + verdict.nextCheckInMs);
    await this.repository.reschedule(target.id, {
      at,
      attempts: verdict.attempts,
      nextCheckAt,
      result: {
        kind: 'revocation',
        ok: false,
        at: at.toISOString(),
        by: 'recheck',
        outcome: verdict.outcome,
        reason: failure?.code ?? null,
      },
    });
    this.logger.log({
      msg: 'storage access still not restored',
      targetId: target.id,
      outcome: verdict.outcome,
      attempts: verdict.attempts,
      nextCheckAt,
    });
    return { targetId: target.id, outcome: verdict.outcome, nextCheckAt };
  }
}
