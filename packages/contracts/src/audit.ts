import { z } from 'zod';

/**
 * The studio-readable audit log (GET /api/tenant/audit, GET /api/tenant/audit/export) and the support
 * access it records: support grants (/api/tenant/support-grants) and the staff overview
 * (GET /api/support/tenants).
 */

/** Purposes a credential is minted for (DECISIONS.md, "Purposes and their session policies"). */
export const credentialPurposes = ['upload', 'transcode', 'link', 'migrate', 'delete', 'verify'] as const;
export type CredentialPurpose = (typeof credentialPurposes)[number];

export const auditActorKinds = ['user', 'staff', 'system'] as const;
export type AuditActorKind = (typeof auditActorKinds)[number];

/** Actions written by the support feature (other features name theirs `<feature>.<verb>`). */
export const SupportAuditAction = {
  GrantCreated: 'support.grant_created',
  GrantRevoked: 'support.grant_revoked',
  MediaAccessDenied: 'support.media_access_denied',
} as const;

/** Written when a tenant admin exports the audit log. */
export const AuditLogAuditAction = {
  Exported: 'audit.exported',
} as const;

export const SupportErrorCode = {
  /** Creating a grant for a tenant that is not (only) hosted: 409. */
  AccessNotAllowed: 'SUPPORT_ACCESS_NOT_ALLOWED',
  /** A staff member reaching media without a live grant, or of an isolated tenant: 403. */
  AccessDenied: 'SUPPORT_ACCESS_DENIED',
  GrantNotFound: 'SUPPORT_GRANT_NOT_FOUND',
} as const;

// Bounded to years PostgreSQL and every client store alike (year 0 passes the ISO grammar, not the database).
const EARLIEST = Date.parse('1970-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time (e.g. 2026-01-31T12:00:00Z)' }).refine((v) => {
  const t = Date.parse(v);
  // a value the ISO check refused already has its message: one problem per field
  return Number.isNaN(t) || (t >= EARLIEST && t <= LATEST);
}, 'must be between 1970-01-01 and 9999-12-31');

/**
 * Filters shared by the page and the export. `action` matches exactly, or as a prefix when it ends with
 * a dot (`upload.` → every upload step). `from` is inclusive, `to` exclusive. `q` matches any part of
 * any object key the row lists (case-insensitive), e.g. a media id.
 */
export const auditFilterQueryShape = {
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9_.]+$/, 'must be an action such as media.link, or a prefix ending with a dot such as upload.')
    .optional(),
  purpose: z.enum(credentialPurposes).optional(),
  actorUserId: z.uuid('must be a user id').optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  q: z.string().trim().min(1).max(200).optional(),
};

// (zod also runs this refinement when a field failed its own check: only compare two real dates)
const fromBeforeTo = (v: { from?: string | undefined; to?: string | undefined }) => {
  const [from, to] = [Date.parse(v.from ?? ''), Date.parse(v.to ?? '')];
  return Number.isNaN(from) || Number.isNaN(to) || from < to;
};
const fromBeforeToIssue = { message: 'must be later than from', path: ['to'] };

export const auditListQuerySchema = z
  .object({
    ...auditFilterQueryShape,
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditExportFormats = ['csv', 'json'] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];

export const auditExportQuerySchema = z
  .object({ ...auditFilterQueryShape, format: z.enum(auditExportFormats).default('csv') })
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;

export const auditEventSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  action: z.string(),
  actorKind: z.enum(auditActorKinds),
  /** The user behind the action; `email` is null once that user has been deleted. */
  actor: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable(),
  purpose: z.string().nullable(),
  /** STS RoleSessionName of the minted credential. */
  sessionName: z.string().nullable(),
  storageTargetId: z.uuid().nullable(),
  objectKeys: z.array(z.string()),
  /** Expiry of the minted credential or link. */
  expiresAt: z.iso.datetime().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.unknown().nullable(),
  correlationId: z.string().nullable(),
});
export type AuditEventDto = z.infer<typeof auditEventSchema>;

export const auditListResponseSchema = z.object({
  items: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});
export type AuditListResponse = z.infer<typeof auditListResponseSchema>;

// ─── Support access ────────────────────────────────────────────────────────────────────────────────

/** Longest support grant a tenant admin can give: 24 hours. */
export const SUPPORT_GRANT_MAX_MINUTES = 1440;

export const createSupportGrantSchema = z.object({
  durationMinutes: z.number().int().min(1).max(SUPPORT_GRANT_MAX_MINUTES),
  reason: z.string().trim().min(3).max(500),
});
export type CreateSupportGrantRequest = z.infer<typeof createSupportGrantSchema>;

export const supportGrantStatuses = ['active', 'expired', 'revoked'] as const;

export const supportGrantSchema = z.object({
  id: z.uuid(),
  status: z.enum(supportGrantStatuses),
  reason: z.string(),
  grantedBy: z.object({ id: z.uuid(), email: z.string() }).nullable(),
  revokedBy: z.object({ id: z.uuid(), email: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});
export type SupportGrantDto = z.infer<typeof supportGrantSchema>;

export const supportGrantListResponseSchema = z.object({ items: z.array(supportGrantSchema) });
export type SupportGrantListResponse = z.infer<typeof supportGrantListResponseSchema>;

/**
 * How a tenant stores media, as support sees it: `hosted` (every live target is in the platform
 * bucket), `isolated` (at least one live target is the studio's own bucket), `none` (no live target).
 */
export const tenantStorageModes = ['hosted', 'isolated', 'none'] as const;
export type TenantStorageMode = (typeof tenantStorageModes)[number];

export const supportTenantsQuerySchema = z.object({
  /** Case-insensitive match on slug or name. */
  q: z.string().trim().min(1).max(200).optional(),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SupportTenantsQuery = z.infer<typeof supportTenantsQuerySchema>;

/** No media, no buckets, no role ARNs, no external ids: what support needs to triage, nothing more. */
export const supportTenantSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  storageMode: z.enum(tenantStorageModes),
  activeTarget: z
    .object({
      id: z.uuid(),
      mode: z.enum(['hosted', 'isolated']),
      provider: z.enum(['aws', 's3_compatible']),
      region: z.string(),
      status: z.enum(['pending', 'verified', 'active', 'revoked', 'retired']),
      lastCheckAt: z.iso.datetime().nullable(),
      revokedAt: z.iso.datetime().nullable(),
    })
    .nullable(),
  /** Count of the tenant's targets per status. */
  targetCounts: z.partialRecord(z.enum(['pending', 'verified', 'active', 'revoked', 'retired']), z.number().int()),
  /** Whether support may currently reach the tenant's media, and until when. */
  supportAccess: z.object({ allowed: z.boolean(), until: z.iso.datetime().nullable() }),
});
export type SupportTenantDto = z.infer<typeof supportTenantSchema>;

export const supportTenantsResponseSchema = z.object({
  items: z.array(supportTenantSchema),
  nextCursor: z.string().nullable(),
});
export type SupportTenantsResponse = z.infer<typeof supportTenantsResponseSchema>;
