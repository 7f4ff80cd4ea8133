import type { SessionPolicyDocument } from './build-session-policy.js';

const OBJECT_RESOURCE = /^arn:[a-z-]+:s3:::[^/]+\/(.+)$/;

/**
 * The object keys and prefixes a session policy allows, as written in its resources: an exact key
 * (`studio/media/<id>/source/clip.mp4`) or a prefix pattern (`studio/media/*`). Bucket-level
 * resources are left out. For audit rows: "which objects could this credential touch".
 */
export function policyKeys(document: SessionPolicyDocument): string[] {
  const keys = new Set<string>();
  for (const statement of document.Statement) {
    const match = OBJECT_RESOURCE.exec(statement.Resource);
    if (match?.[1] !== undefined) keys.add(match[1]);
  }
  return [...keys];
}
