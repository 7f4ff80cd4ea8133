import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConnectionTestResult, VerifyTargetResponse } from '@isola/contracts';
import { CredentialBroker, StsGateway } from '@isola/credentials';
import { PrismaClient, markTargetRestored } from '@isola/database';
import { Clock } from '@isola/runtime';
import { ObjectStoreFactory, storageTargetRefFrom } from '@isola/tenant-storage';
import type { Actor } from '../../common/auth/actor.js';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { BucketInspector } from './bucket-inspector.port.js';
import { connectionTestSteps } from './connection-test-steps.js';
import { ConnectionTestException } from './connection-test.exception.js';
import { ConnectionTestRepository } from './connection-test.repository.js';
import { runConnectionTest, type ConnectionTestStepDefinition } from './run-connection-test.js';
import type { VerifyRun } from './verify-run.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The connection test (issue 6): real calls against a storage target with a `verify` credential,
 * each reported with a fix hint; the result is stored with the target, moves it `pending` →
 * `verified` when nothing failed, and is audited (`target.verify`).
 */
@Injectable()
export class ConnectionTestService {
  private readonly logger = new Logger(ConnectionTestService.name);
  private readonly steps: ConnectionTestStepDefinition<VerifyRun>[];
  /** Targets with a test running in this process (a second click waits for the first result). */
  private readonly running = new Set<string>();

  constructor(
    private readonly targets: ConnectionTestRepository,
    private readonly prisma: PrismaClient,
    private readonly broker: CredentialBroker,
    sts: StsGateway,
    stores: ObjectStoreFactory,
    inspector: BucketInspector,
    private readonly clock: Clock,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.steps = connectionTestSteps({ broker, sts, stores, inspector });
  }

  async verify(actor: Actor, targetId: string, origin: RequestOrigin): Promise<VerifyTargetResponse> {
    const tenant = actor.tenant;
    if (tenant === null || !UUID.test(targetId)) throw ConnectionTestException.targetNotFound();
    const row = await this.targets.findTarget(tenant.id, targetId);
    if (row === null) throw ConnectionTestException.targetNotFound();
    if (this.running.has(row.id)) throw ConnectionTestException.inProgress();
    this.running.add(row.id);
    try {
      return await this.runAndRecord(actor, row, origin);
    } finally {
      this.running.delete(row.id);
    }
  }

  private async runAndRecord(
    actor: Actor,
    row: NonNullable<Awaited<ReturnType<ConnectionTestRepository['findTarget']>>>,
    origin: RequestOrigin,
  ): Promise<VerifyTargetResponse> {
    const target = storageTargetRefFrom(row);
    // Test the role as it is now: no cached credential, no revocation backoff.
    this.broker.invalidate(target.id);

    const runId = randomUUID();
    const run: VerifyRun = {
      target,
      runId,
      context: { tenantSlug: row.tenant.slug, actor: `user:${actor.userId}`, correlationId: runId },
      deleteObjectsEnabled: row.tenant.deleteObjectsEnabled,
      webOrigins: this.config.webOrigins,
      stsEndpoint: this.config.storage.stsEndpoint ?? (target.provider === 's3_compatible' ? target.endpoint : undefined),
      platformPrincipalArn: this.config.platformPrincipal.arn,
      probeKeys: [],
      leftObjects: [],
    };
    const ranAt = this.clock.now();
    let outcome;
    try {
      outcome = await runConnectionTest(this.steps, run, this.clock, (step, error) =>
        this.logger.error({ msg: 'connection test step failed unexpectedly', step, targetId: target.id, error: errorText(error) }),
      );
    } finally {
      run.bucket?.close();
    }
    const result: ConnectionTestResult = { steps: outcome.steps, ranAt: ranAt.toISOString(), ok: outcome.ok };

    // An admin's passing re-test restores a revoked target at once (else the worker's re-check would).
    if (row.status === 'revoked' && result.ok) await this.restore(actor, target.id, run, origin);

    const status = await this.targets.saveResult({
      targetId: target.id,
      result,
      at: this.clock.now(),
      audit: ({ before, after }) => ({
        tenantId: row.tenantId,
        action: 'target.verify',
        actor,
        purpose: 'verify',
        sessionName: run.credentials?.sessionName ?? null,
        storageTargetId: target.id,
        objectKeys: run.probeKeys,
        expiresAt: run.credentials?.expiresAt ?? null,
        ip: origin.ip,
        userAgent: origin.userAgent,
        correlationId: origin.correlationId,
        details: {
          runId,
          ok: result.ok,
          outcomes: Object.fromEntries(result.steps.map((step) => [step.id, step.outcome])),
          statusBefore: row.status,
          statusAfter: after,
          ...(before === row.status ? {} : { statusWhenSaved: before }),
          ...(run.guardSessionName === undefined ? {} : { sessionWithoutExternalId: run.guardSessionName }),
          ...(run.leftObjects.length === 0 ? {} : { probeObjectsLeft: run.leftObjects }),
        },
      }),
    });
    return { ...result, targetId: target.id, status };
  }

  private async restore(actor: Actor, targetId: string, run: VerifyRun, origin: RequestOrigin): Promise<void> {
    await markTargetRestored(this.prisma, {
      targetId,
      at: this.clock.now(),
      by: 'admin',
      actorUserId: actor.userId,
      sessionName: run.credentials?.sessionName ?? null,
      correlationId: origin.correlationId,
      transcodeGrantSeconds: this.config.uploads.transcodeGrantSeconds,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
