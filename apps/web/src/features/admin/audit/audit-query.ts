/** The audit filters as the form holds them (dates are the browser's local calendar days). */
export interface AuditFilterDraft {
  action: string;
  purpose: string;
  /** yyyy-mm-dd, inclusive. */
  from: string;
  /** yyyy-mm-dd, inclusive (sent as the next day's start, which the API treats as exclusive). */
  to: string;
  q: string;
}

export const NO_AUDIT_FILTER: AuditFilterDraft = { action: '', purpose: '', from: '', to: '', q: '' };

/** Local midnight of a yyyy-mm-dd day, plus `addDays`, as an ISO instant (null when not a date). */
export function localDayStart(day: string, addDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The filters as the API's query parameters (shared by the page and the export). */
export function auditFilterParams(filter: AuditFilterDraft): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.action.trim()) params.set('action', filter.action.trim());
  if (filter.purpose) params.set('purpose', filter.purpose);
  const from = localDayStart(filter.from);
  const to = localDayStart(filter.to, 1);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  return params;
}

export function auditPagePath(filter: AuditFilterDraft, cursor: string | null, limit: number): string {
  const params = auditFilterParams(filter);
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return `/tenant/audit?${params.toString()}`;
}

export function auditExportHref(filter: AuditFilterDraft, format: 'csv' | 'json'): string {
  const params = auditFilterParams(filter);
  params.set('format', format);
  return `/api/tenant/audit/export?${params.toString()}`;
}

/** Actions the filter suggests (a prefix ending with a dot matches a whole family). */
export const KNOWN_AUDIT_ACTIONS = [
  'media.',
  'upload.',
  'target.',
  'target.create',
  'target.verify',
  'target.activate',
  'target.revoked',
  'target.restored',
  'target.recheck',
  'target.external_id.regenerate',
  'migration.start',
  'member.',
  'support.',
  'audit.exported',
] as const;
