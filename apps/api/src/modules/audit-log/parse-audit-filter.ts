import { auditExportQuerySchema, auditListQuerySchema, CommonErrorCode, type AuditExportFormat } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';
import { parseBody } from '../../common/validation.js';
import { decodeAuditCursor, type AuditCursor } from './audit-cursor.js';

/** What the audit log may be filtered by, parsed (always within the caller's tenant). */
export interface AuditFilter {
  /** Exact action, or every action starting with `value` (a query ending with a dot). */
  action: { match: 'exact' | 'prefix'; value: string } | null;
  purpose: string | null;
  actorUserId: string | null;
  /** Inclusive. */
  from: Date | null;
  /** Exclusive. */
  to: Date | null;
  /** Case-insensitive substring of any of the row's object keys. */
  objectKeyContains: string | null;
}

export interface AuditPageRequest {
  filter: AuditFilter;
  after: AuditCursor | null;
  limit: number;
}

type FilterInput = { action?: string; purpose?: string; actorUserId?: string; from?: string; to?: string; q?: string };

function toFilter(query: FilterInput): AuditFilter {
  return {
    action: query.action ? { match: query.action.endsWith('.') ? 'prefix' : 'exact', value: query.action } : null,
    purpose: query.purpose ?? null,
    actorUserId: query.actorUserId?.toLowerCase() ?? null,
    from: query.from ? new Date(query.from) : null,
    to: query.to ? new Date(query.to) : null,
    objectKeyContains: query.q ?? null,
  };
}

/** GET /api/tenant/audit's query string → filter, cursor and page size (400 VALIDATION_FAILED otherwise). */
export function parseAuditListQuery(raw: unknown): AuditPageRequest {
  const query = parseBody(auditListQuerySchema, raw);
  let after: AuditCursor | null = null;
  if (query.cursor !== undefined) {
    after = decodeAuditCursor(query.cursor);
    if (!after) {
      throw new ApiException(400, CommonErrorCode.ValidationFailed, 'The request is not valid: cursor: is not a cursor this API issued.', {
        fields: [{ field: 'cursor', message: 'is not a cursor this API issued' }],
      });
    }
  }
  return { filter: toFilter(query), after, limit: query.limit };
}

/** GET /api/tenant/audit/export's query string → filter and format. */
export function parseAuditExportQuery(raw: unknown): { filter: AuditFilter; format: AuditExportFormat } {
  const query = parseBody(auditExportQuerySchema, raw);
  return { filter: toFilter(query), format: query.format };
}
