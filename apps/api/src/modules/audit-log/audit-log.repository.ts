import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@isola/database';
import type { AuditCursor } from './audit-cursor.js';
import type { AuditFilter } from './parse-audit-filter.js';

/** An audit row with its actor's email (null when the user is gone or there is no user). */
export interface AuditEventRow {
  id: string;
  createdAt: Date;
  action: string;
  actorKind: 'user' | 'staff' | 'system';
  actorUserId: string | null;
  actorEmail: string | null;
  purpose: string | null;
  sessionName: string | null;
  storageTargetId: string | null;
  objectKeys: string[];
  expiresAt: Date | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
  correlationId: string | null;
}

/**
 * The audit log's queries. Raw SQL because Prisma cannot match a substring inside a text[] column
 * (`q` over object keys); every value is a bound parameter (Prisma.sql), and every query is scoped to
 * one tenant first. Ordered newest first by (created_at, id), served by audit_events(tenant_id, created_at).
 */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async page(tenantId: string, filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditEventRow[]> {
    const conditions = [Prisma.sql`e.tenant_id = ${tenantId}::uuid`, ...filterConditions(filter)];
    if (after) {
      conditions.push(Prisma.sql`(e.created_at, e.id) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`);
    }
    const rows = await this.prisma.$queryRaw<AuditEventRow[]>`
      SELECT e.id::text AS "id", e.created_at AS "createdAt", e.action, e.actor_kind::text AS "actorKind",
             e.actor_user_id::text AS "actorUserId", u.email AS "actorEmail", e.purpose, e.session_name AS "sessionName",
             e.storage_target_id::text AS "storageTargetId", e.object_keys AS "objectKeys", e.expires_at AS "expiresAt",
             e.ip, e.user_agent AS "userAgent", e.details, e.correlation_id AS "correlationId"
        FROM audit_events e
        LEFT JOIN users u ON u.id = e.actor_user_id
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY e.created_at DESC, e.id DESC
       LIMIT ${limit}`;
    return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt), expiresAt: row.expiresAt ? new Date(row.expiresAt) : null }));
  }
}

function filterConditions(filter: AuditFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.action) {
    conditions.push(
      filter.action.match === 'prefix'
        ? Prisma.sql`starts_with(e.action, ${filter.action.value})`
        : Prisma.sql`e.action = ${filter.action.value}`,
    );
  }
  if (filter.purpose) conditions.push(Prisma.sql`e.purpose = ${filter.purpose}`);
  if (filter.actorUserId) conditions.push(Prisma.sql`e.actor_user_id = ${filter.actorUserId}::uuid`);
  if (filter.from) conditions.push(Prisma.sql`e.created_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(Prisma.sql`e.created_at < ${filter.to.toISOString()}::timestamptz`);
  if (filter.objectKeyContains) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM unnest(e.object_keys) AS k WHERE strpos(lower(k), lower(${filter.objectKeyContains})) > 0)`,
    );
  }
  return conditions;
}
