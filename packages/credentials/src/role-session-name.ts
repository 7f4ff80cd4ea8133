import { createHash } from 'node:crypto';

import type { CredentialPurpose } from './credential-scope.js';

/** AWS limits for RoleSessionName: 2–64 characters of `[\w+=,.@-]`. */
export const MAX_ROLE_SESSION_NAME_LENGTH = 64;

const TENANT_MAX = 24;
const TENANT_MIN = 8;
const SHORT_TENANT_ID = 8;
const ID_PREFERRED = 36; // a UUID
const HASH_LENGTH = 8;

export interface RoleSessionNameInput {
  purpose: CredentialPurpose;
  tenantId: string;
  /** Preferred over the tenant id: readable in the studio's CloudTrail. */
  tenantSlug?: string;
  /** What the credential serves: media id, migration id, connection-test run id… */
  id: string;
}

/**
 * `isola-<purpose>-<tenant slug, or the tenant id's first 8 characters>-<id>`, the name the studio
 * sees in CloudTrail for every request made with the credential.
 *
 * Only `[\w+=,.@-]` (other characters become `-`), at most 64 characters. The id keeps up to 36
 * characters (a whole UUID) before the tenant is squeezed (to 24 at most, 8 at least; cut plainly —
 * it is for reading, the account already identifies the studio). A longer id is cut with a short
 * hash of its full value appended, so distinct ids stay distinct. Deterministic.
 */
export function buildRoleSessionName(input: RoleSessionNameInput): string {
  const head = `isola-${input.purpose}-`;
  const id = clean(input.id) || 'none';
  const tenant = clean(input.tenantSlug ?? '') || clean(input.tenantId).slice(0, SHORT_TENANT_ID) || 'tenant';

  const room = MAX_ROLE_SESSION_NAME_LENGTH - head.length - 1; // one `-` between tenant and id
  const tenantBudget = Math.max(TENANT_MIN, Math.min(TENANT_MAX, room - Math.min(id.length, ID_PREFERRED)));
  const tenantPart = tenant.slice(0, tenantBudget).replace(/[-.]+$/, '') || 'tenant';
  const idPart = shorten(id, room - tenantPart.length);
  return `${head}${tenantPart}-${idPart}`;
}

function clean(value: string): string {
  return value.replace(/[^\w+=,.@-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `value` if it fits, else its start and `.`+8 hex chars of its SHA-256. */
function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const hash = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return `${value.slice(0, Math.max(0, max - HASH_LENGTH - 1))}.${hash}`.slice(-max);
}
