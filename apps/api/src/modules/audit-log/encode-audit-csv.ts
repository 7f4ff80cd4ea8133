import type { AuditEventDto } from '@isola/contracts';

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * One CSV cell (RFC 4180): a cell a spreadsheet would evaluate as a formula gets a leading `'`, then a
 * cell containing a quote, comma or line break is quoted with inner quotes doubled. null → empty.
 */
export function encodeCsvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = FORMULA_TRIGGERS.has(value[0]!) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record, CRLF-terminated (RFC 4180). */
export function encodeCsvRow(cells: readonly (string | null)[]): string {
  return `${cells.map(encodeCsvCell).join(',')}\r\n`;
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'createdAt',
  'action',
  'actorKind',
  'actorId',
  'actorEmail',
  'purpose',
  'sessionName',
  'storageTargetId',
  'objectKeys',
  'expiresAt',
  'ip',
  'userAgent',
  'details',
  'correlationId',
] as const;

export function encodeAuditCsvHeader(): string {
  return encodeCsvRow(AUDIT_CSV_COLUMNS);
}

/** An audit event as a CSV record: object keys joined by a space, details as JSON. */
export function encodeAuditCsvRow(event: AuditEventDto): string {
  return encodeCsvRow([
    event.id,
    event.createdAt,
    event.action,
    event.actorKind,
    event.actor?.id ?? null,
    event.actor?.email ?? null,
    event.purpose,
    event.sessionName,
    event.storageTargetId,
    event.objectKeys.join(' '),
    event.expiresAt,
    event.ip,
    event.userAgent,
    event.details === null || event.details === undefined ? null : JSON.stringify(event.details),
    event.correlationId,
  ]);
}
