import type { AuditEvent, PrismaClient } from '@isola/database';

/**
 * The audit rows a tenant's log gained since `since`, oldest first: for suites asserting "this request
 * wrote exactly these rows" (DECISIONS.md: one row per request that mints credentials or links).
 * `action` narrows to one action, or to a family when it ends with a dot (`upload.`).
 */
export async function auditEventsFor(
  prisma: PrismaClient,
  tenantId: string,
  opts: { since: Date; action?: string },
): Promise<AuditEvent[]> {
  const action =
    opts.action === undefined ? {} : opts.action.endsWith('.') ? { action: { startsWith: opts.action } } : { action: opts.action };
  return prisma.auditEvent.findMany({
    where: { tenantId, createdAt: { gte: opts.since }, ...action },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}
