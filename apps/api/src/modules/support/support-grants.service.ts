import { Injectable } from '@nestjs/common';
import { Clock } from '@isola/runtime';
import { SupportAuditAction, type CreateSupportGrantRequest, type SupportGrantDto, type SupportGrantListResponse } from '@isola/contracts';
import type { Actor } from '../../common/auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { classifyTenantStorage, supportGrantStatus } from './classify-tenant-storage.js';
import { SupportException } from './support.exception.js';
import { SupportRepository, type SupportGrantRow } from './support.repository.js';

/** The grants page lists this many, newest first (grants are rare: a few a month). */
export const SUPPORT_GRANTS_LISTED = 200;

export function toSupportGrantDto(row: SupportGrantRow, now: Date): SupportGrantDto {
  return {
    id: row.id,
    status: supportGrantStatus(row, now),
    reason: row.reason,
    grantedBy: row.grantedBy,
    revokedBy: row.revokedBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A tenant admin gives (and takes back) platform support time-boxed access to a hosted studio's media. */
@Injectable()
export class SupportGrantsService {
  constructor(
    private readonly repository: SupportRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** 409 SUPPORT_ACCESS_NOT_ALLOWED unless every live target of the tenant is hosted. Audited in the same transaction. */
  create(actor: Actor, tenantId: string, request: CreateSupportGrantRequest, origin: RequestOrigin): Promise<SupportGrantDto> {
    return this.repository.transaction(async (tx) => {
      const mode = classifyTenantStorage(await this.repository.targetsOf(tenantId, tx));
      if (mode !== 'hosted') throw SupportException.accessNotAllowed(mode);
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + request.durationMinutes * 60_000);
      const grant = await this.repository.createGrant(tx, {
        tenantId,
        grantedById: actor.userId,
        reason: request.reason,
        createdAt: now,
        expiresAt,
      });
      await this.audit.record(
        {
          tenantId,
          action: SupportAuditAction.GrantCreated,
          actor,
          expiresAt,
          ...origin,
          details: { grantId: grant.id, durationMinutes: request.durationMinutes, reason: request.reason },
        },
        tx,
      );
      return toSupportGrantDto(grant, now);
    });
  }

  /** Ends a grant now. Revoking a revoked grant answers it unchanged (and writes no second audit row). */
  revoke(actor: Actor, tenantId: string, grantId: string, origin: RequestOrigin): Promise<SupportGrantDto> {
    return this.repository.transaction(async (tx) => {
      const now = this.clock.now();
      const grant = await this.repository.findGrant(tenantId, grantId, tx);
      if (!grant) throw SupportException.grantNotFound();
      if (await this.repository.revokeGrant(tx, tenantId, grantId, actor.userId, now)) {
        await this.audit.record(
          {
            tenantId,
            action: SupportAuditAction.GrantRevoked,
            actor,
            ...origin,
            details: { grantId, wasActive: supportGrantStatus(grant, now) === 'active', expiresAt: grant.expiresAt.toISOString() },
          },
          tx,
        );
      }
      return toSupportGrantDto((await this.repository.findGrant(tenantId, grantId, tx))!, now);
    });
  }

  async list(tenantId: string): Promise<SupportGrantListResponse> {
    const now = this.clock.now();
    const rows = await this.repository.listGrants(tenantId, SUPPORT_GRANTS_LISTED);
    return { items: rows.map((row) => toSupportGrantDto(row, now)) };
  }
}
