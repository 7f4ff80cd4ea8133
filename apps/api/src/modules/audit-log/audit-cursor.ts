/**
 * Keyset cursor of the audit log, newest first: the (createdAt, id) of the last row of a page. Opaque
 * to clients (base64url), validated on the way back in. It carries no tenant: every query is scoped to
 * the caller's tenant, so a forged cursor can only skip rows of the caller's own log.
 */
export interface AuditCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor inside `value`, or null when it is not one this API issued. */
export function decodeAuditCursor(value: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const [iso, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !iso || !id || !UUID.test(id)) return null;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return null;
  return { createdAt, id: id.toLowerCase() };
}
