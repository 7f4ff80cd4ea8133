/**
 * A position in a tenant's notice list (undismissed first, then dismissed; newest first within each):
 * the last item's group, creation time and id.
 */
export interface NoticeCursor {
  dismissed: boolean;
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of `[dismissed 0|1, createdAt ISO, id]`. */
export function encodeNoticeCursor(cursor: NoticeCursor): string {
  return Buffer.from(JSON.stringify([cursor.dismissed ? 1 : 0, cursor.createdAt.toISOString(), cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or undefined when `value` is not one `encodeNoticeCursor` made. */
export function decodeNoticeCursor(value: string): NoticeCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [dismissed, at, id] = parsed as unknown[];
  if ((dismissed !== 0 && dismissed !== 1) || typeof at !== 'string' || typeof id !== 'string' || !UUID.test(id)) return undefined;
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) return undefined;
  return { dismissed: dismissed === 1, createdAt, id };
}
