/**
 * Whether a bucket policy (JSON as stored) denies every request made without TLS: a statement with
 * Effect Deny, for everyone (Principal `*`), on all S3 actions (`s3:*` or `*`), covering the
 * bucket's objects, with the condition `Bool: { aws:SecureTransport: false }` — the setup kit's
 * statement. Condition keys and operators are matched case-insensitively, as IAM does.
 */
export function hasTlsOnlyDeny(policyJson: string, bucket: string): boolean {
  let policy: unknown;
  try {
    policy = JSON.parse(policyJson);
  } catch {
    return false;
  }
  const statements = asArray((policy as { Statement?: unknown } | null)?.Statement);
  return statements.some((statement) => isTlsOnlyDeny(statement, bucket));
}

function isTlsOnlyDeny(statement: unknown, bucket: string): boolean {
  if (typeof statement !== 'object' || statement === null) return false;
  const s = statement as Record<string, unknown>;
  if (s['Effect'] !== 'Deny') return false;
  if (!isEveryone(s['Principal'])) return false;
  if (!asArray(s['Action']).some((action) => action === '*' || (typeof action === 'string' && action.toLowerCase() === 's3:*')))
    return false;
  if (!asArray(s['Resource']).some((resource) => typeof resource === 'string' && coversObjects(resource, bucket))) return false;
  return requiresTls(s['Condition']);
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return asArray((principal as { AWS?: unknown }).AWS).includes('*');
}

/** `arn:<partition>:s3:::<bucket>/*`, or a wider wildcard (`…:::<bucket>*`, `*`). */
function coversObjects(resource: string, bucket: string): boolean {
  if (resource === '*') return true;
  const match = /^arn:[a-z-]+:s3:::(.+)$/.exec(resource);
  if (!match?.[1]) return false;
  const pattern = match[1];
  return pattern === `${bucket}/*` || pattern === `${bucket}*` || pattern === '*';
}

function requiresTls(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, keys] of Object.entries(condition)) {
    if (operator.toLowerCase() !== 'bool' || typeof keys !== 'object' || keys === null) continue;
    for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
      if (key.toLowerCase() !== 'aws:securetransport') continue;
      if (asArray(value).some((v) => v === false || (typeof v === 'string' && v.toLowerCase() === 'false'))) return true;
    }
  }
  return false;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
