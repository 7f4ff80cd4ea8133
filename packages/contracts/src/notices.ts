import { z } from 'zod';

/**
 * In-app notices for a tenant's admins (GET /api/tenant/notices, POST /api/tenant/notices/:id/dismiss)
 * and the revocation re-check a tenant admin can ask for (POST /api/tenant/storage/targets/:id/recheck).
 */

/** What a notice is about (`Notice.kind`). Other features add theirs (`migration.completed`, …). */
export const NoticeKind = {
  /** Isola can no longer assume an isolated target's role: the studio revoked access. */
  TargetRevoked: 'target.revoked',
  /** Access to a revoked target came back (found by the worker's re-check or an admin's). */
  TargetRestored: 'target.restored',
} as const;

/** Audit actions of the revocation feature. */
export const RevocationAuditAction = {
  /** A target was marked revoked (actorKind system). */
  TargetRevoked: 'target.revoked',
  /** A revoked target is reachable again and back to its former status (actorKind system). */
  TargetRestored: 'target.restored',
  /** A tenant admin asked for an immediate re-check (the `verify` credential it minted, if any). */
  TargetRecheck: 'target.recheck',
} as const;

export const NoticeErrorCode = {
  NotFound: 'NOTICE_NOT_FOUND',
  InvalidCursor: 'INVALID_CURSOR',
} as const;

export const RecheckErrorCode = {
  TargetNotFound: 'STORAGE_TARGET_NOT_FOUND',
  /** The target is not revoked: use the connection test (`…/verify`) instead. */
  TargetNotRevoked: 'TARGET_NOT_REVOKED',
} as const;

export const noticeSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  message: z.string(),
  /** Kind-specific facts (target id, bucket, when it happened, next check…). Never secrets. */
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.iso.datetime(),
  dismissedAt: z.iso.datetime().nullable(),
});
export type NoticeDto = z.infer<typeof noticeSchema>;

export const noticeListQuerySchema = z.object({
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type NoticeListQuery = z.infer<typeof noticeListQuerySchema>;

/** Undismissed notices first, then dismissed ones; newest first within each. */
export const noticeListResponseSchema = z.object({
  items: z.array(noticeSchema),
  nextCursor: z.string().nullable(),
  /** How many notices of the tenant are not dismissed (for a badge). */
  undismissed: z.number().int().nonnegative(),
});
export type NoticeListResponse = z.infer<typeof noticeListResponseSchema>;

export const targetRecheckOutcomes = ['restored', 'still-revoked', 'unavailable'] as const;
export type TargetRecheckOutcome = (typeof targetRecheckOutcomes)[number];

/** POST /api/tenant/storage/targets/:id/recheck answers this (200) whatever the outcome. */
export const targetRecheckResponseSchema = z.object({
  targetId: z.uuid(),
  outcome: z.enum(targetRecheckOutcomes),
  /** The target's status after the check (`active`/`verified` when restored, else `revoked`). */
  status: z.string(),
  /** When the worker checks again by itself (revoked targets only). */
  nextCheckAt: z.iso.datetime().nullable(),
  message: z.string(),
});
export type TargetRecheckResponse = z.infer<typeof targetRecheckResponseSchema>;
