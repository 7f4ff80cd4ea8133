import { Inject, Injectable } from '@nestjs/common';
import { RevocationAuditAction, type TargetRecheckOutcome, type TargetRecheckResponse } from '@isola/contracts';
import { CredentialBroker, type CredentialRequestContext, type ScopedCredentials } from '@isola/credentials';
import { PrismaClient, markTargetRestored } from '@isola/database';
import { Clock } from '@isola/runtime';
import { StorageErrorCode, isStorageError, type StorageError } from '@isola/tenant-storage';
import type { Actor } from '../../common/auth/actor.js';
import { storageErrorToApiException } from '../../common/storage-errors.js';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { StorageTargetsRepository, toTargetRef } from './storage-targets.repository.js';
import { TargetRecheckException } from './target-recheck.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MESSAGES: Record<TargetRecheckOutcome, string> = {
  restored: 'Isola can reach the bucket again: the target is back in service.',
  'still-revoked':
    "Isola still cannot assume the role: restore it with the setup kit's trust and permission policies. Isola keeps checking by itself.",
  unavailable: 'The storage service did not answer; nothing was decided. Try again in a moment (Isola keeps checking by itself).',
};

/**
 * A tenant admin's immediate re-check of a revoked target, run here rather than left to the worker
 * so the admin sees the answer: the broker forgets the target (cached credentials, backoff) and
 * assumes the role with the `verify` scope; success restores the target (markTargetRestored: notice,
 * audit, stopped transcodes re-queued). A denial only records the check: the worker keeps its
 * schedule. One audit row (`target.recheck`) names the credential minted, if any.
 */
@Injectable()
export class TargetRecheckService {
  constructor(
    private readonly targets: StorageTargetsRepository,
    private readonly broker: CredentialBroker,
    private readonly prisma: PrismaClient,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async run(actor: Actor, targetId: string, origin: RequestOrigin): Promise<TargetRecheckResponse> {
    const tenant = actor.tenant;
    const row = tenant !== null && UUID.test(targetId) ? await this.targets.findForTenant(tenant.id, targetId) : null;
    if (tenant === null || row === null) throw TargetRecheckException.notFound();
    if (row.status !== 'revoked') throw TargetRecheckException.notRevoked(row.status);

    const target = toTargetRef(row);
    const context: CredentialRequestContext = {
      tenantSlug: tenant.slug,
      actor: `user:${actor.userId}`,
      ...(origin.correlationId === null ? {} : { correlationId: origin.correlationId }),
    };
    this.broker.invalidate(target.id);
    let credentials: ScopedCredentials | undefined;
    let failure: StorageError | undefined;
    try {
      credentials = await this.broker.getCredentials(target, { purpose: 'verify' }, context);
    } catch (error) {
      if (!isStorageError(error)) throw error;
      failure = error;
    }
    const at = this.clock.now();
    const outcome = failure === undefined ? 'restored' : outcomeOf(failure);
    const audit = (details: Record<string, string>) =>
      this.audit.record({
        tenantId: tenant.id,
        action: RevocationAuditAction.TargetRecheck,
        actor,
        purpose: credentials === undefined ? null : 'verify',
        sessionName: credentials?.sessionName ?? null,
        storageTargetId: target.id,
        objectKeys: credentials?.policyKeys ?? [],
        expiresAt: credentials?.expiresAt ?? null,
        ip: origin.ip,
        userAgent: origin.userAgent,
        correlationId: origin.correlationId,
        details,
      });

    if (outcome === undefined) {
      // Neither access nor a denial (a misconfiguration): the connection test explains it better.
      await audit({ outcome: 'error', code: failure?.code ?? 'UNKNOWN' });
      throw storageErrorToApiException(failure as StorageError);
    }
    let after: { status: string; nextCheckAt: Date | null } = row;
    if (outcome === 'restored') {
      const restored = await markTargetRestored(this.prisma, {
        targetId: target.id,
        at,
        by: 'admin',
        actorUserId: actor.userId,
        sessionName: credentials?.sessionName ?? null,
        correlationId: origin.correlationId,
        transcodeGrantSeconds: this.config.uploads.transcodeGrantSeconds,
      });
      after = { status: restored.status ?? row.status, nextCheckAt: null };
    } else {
      const result = { kind: 'revocation', ok: false, at: at.toISOString(), by: 'admin', reason: failure?.code ?? outcome };
      after = (await this.targets.recordRecheck(target.id, at, result)) ?? row;
    }
    await audit({ outcome, ...(failure === undefined ? {} : { code: failure.code }) });
    return {
      targetId: target.id,
      outcome,
      status: after.status,
      nextCheckAt: after.status === 'revoked' && after.nextCheckAt !== null ? after.nextCheckAt.toISOString() : null,
      message: MESSAGES[outcome],
    };
  }
}

/** What a failed AssumeRole says about the revocation (undefined: neither a denial nor an outage). */
function outcomeOf(error: StorageError): TargetRecheckOutcome | undefined {
  switch (error.code) {
    case StorageErrorCode.STORAGE_ACCESS_REVOKED:
      return 'still-revoked';
    case StorageErrorCode.STORAGE_THROTTLED:
    case StorageErrorCode.STORAGE_UNAVAILABLE:
      return 'unavailable';
    default:
      return undefined;
  }
}
