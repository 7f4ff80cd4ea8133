import { Injectable } from '@nestjs/common';
import type { AuditEventDto, AuditListResponse } from '@isola/contracts';
import { encodeAuditCursor, type AuditCursor } from './audit-cursor.js';
import { AuditLogRepository, type AuditEventRow } from './audit-log.repository.js';
import type { AuditFilter, AuditPageRequest } from './parse-audit-filter.js';

/** Rows fetched per query while exporting: the export streams, it never holds the whole log. */
export const AUDIT_EXPORT_BATCH = 500;

export function toAuditEventDto(row: AuditEventRow): AuditEventDto {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    action: row.action,
    actorKind: row.actorKind,
    actor: row.actorUserId ? { id: row.actorUserId, email: row.actorEmail } : null,
    purpose: row.purpose,
    sessionName: row.sessionName,
    storageTargetId: row.storageTargetId,
    objectKeys: row.objectKeys,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details ?? null,
    correlationId: row.correlationId,
  };
}

/** Reads a tenant's audit log: one page for the UI, or every matching row for an export. */
@Injectable()
export class AuditLogService {
  constructor(private readonly repository: AuditLogRepository) {}

  async page(tenantId: string, request: AuditPageRequest): Promise<AuditListResponse> {
    // one extra row tells whether another page exists without a count query
    const rows = await this.repository.page(tenantId, request.filter, request.after, request.limit + 1);
    const items = rows.slice(0, request.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toAuditEventDto),
      nextCursor: rows.length > request.limit && last ? encodeAuditCursor(last) : null,
    };
  }

  /** Every matching event, newest first, fetched in keyset batches (rows added meanwhile are not repeated). */
  async *export(tenantId: string, filter: AuditFilter): AsyncGenerator<AuditEventDto> {
    let after: AuditCursor | null = null;
    for (;;) {
      const rows = await this.repository.page(tenantId, filter, after, AUDIT_EXPORT_BATCH);
      for (const row of rows) yield toAuditEventDto(row);
      const last = rows[rows.length - 1];
      if (rows.length < AUDIT_EXPORT_BATCH || !last) return;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
}
