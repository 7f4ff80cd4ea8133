import type { ApiRequestError } from '../../../lib/api';

/**
 * The per-field problems of a 400: `details.fields` (VALIDATION_FAILED: `{field, message}`) or
 * `details.issues` (STORAGE_TARGET_INVALID: `{field, code, message}`), joined per field.
 */
export function fieldErrors(error: ApiRequestError | null): Record<string, string> {
  if (!error || error.status !== 400 || !error.details) return {};
  const list = [error.details['fields'], error.details['issues']].find(Array.isArray) as unknown[] | undefined;
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const { field, message } = (item ?? {}) as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || typeof message !== 'string') continue;
    out[field] = out[field] ? `${out[field]} ${message}` : message;
  }
  return out;
}
