import { Injectable } from '@nestjs/common';
import { Clock } from '@isola/runtime';
import { SupportAuditAction } from '@isola/contracts';
import type { Actor } from '../../common/auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { classifyTenantStorage } from './classify-tenant-storage.js';
import { SupportException } from './support.exception.js';
import { SupportRepository } from './support.repository.js';

/** Why a caller may reach a tenant's media. */
export type MediaAccessBasis =
  /** The session acts for this tenant: the studio's own people. */
  | { kind: 'member' }
  /**
   * Platform staff through a live grant of a hosted tenant. Callers must not mint links or credentials
   * that outlive `expiresAt`, and should name `grantId` in their audit row.
   */
  | { kind: 'support-grant'; grantId: string; expiresAt: Date };

/**
 * The one place that decides whether platform staff may reach a studio's media (issue 4, item 5):
 * never for a tenant with an isolated target — whatever grant exists — and for a hosted tenant only
 * while a grant one of its admins gave is live. The tenant's storage is re-read on every call, so a
 * grant stops working the moment the studio adds its own bucket. Refusals are audited in the studio's
 * log (`support.media_access_denied`).
 *
 * Media and upload routes call `assertStaffMayAccessMedia` before minting anything for a caller who is
 * not a member of the media's tenant.
 */
@Injectable()
export class SupportAccessPolicy {
  constructor(
    private readonly repository: SupportRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Resolves with the basis of access, or throws 403 SUPPORT_ACCESS_DENIED. `storageTargetId` names the
   * target the media lives in, when known: an isolated target is refused even if the tenant's other
   * targets are hosted.
   */
  async assertStaffMayAccessMedia(
    actor: Actor,
    tenantId: string,
    opts: { storageTargetId?: string; origin?: RequestOrigin } = {},
  ): Promise<MediaAccessBasis> {
    if (actor.tenant?.id === tenantId) return { kind: 'member' };
    if (!actor.staffRole) throw SupportException.accessDenied('not-staff');

    const targets = await this.repository.targetsOf(tenantId);
    const mode = classifyTenantStorage(targets);
    const target = opts.storageTargetId === undefined ? undefined : targets.find((t) => t.id === opts.storageTargetId);
    const isolated = mode === 'isolated' || target?.mode === 'isolated';
    // a tenant without live storage, or a target that is not the tenant's, is never a basis for access
    const hosted = mode === 'hosted' && !isolated && (opts.storageTargetId === undefined || target !== undefined);
    const grant = hosted ? await this.repository.liveGrant(tenantId, this.clock.now()) : null;
    if (grant) return { kind: 'support-grant', grantId: grant.id, expiresAt: grant.expiresAt };

    const reason = isolated ? ('isolated' as const) : ('no-grant' as const);
    await this.audit.record({
      tenantId,
      action: SupportAuditAction.MediaAccessDenied,
      actor,
      actorKind: 'staff',
      ...(opts.storageTargetId ? { storageTargetId: opts.storageTargetId } : {}),
      ...(opts.origin ?? {}),
      details: { reason },
    });
    throw SupportException.accessDenied(reason);
  }
}
