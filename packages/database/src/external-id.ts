import { randomBytes } from 'node:crypto';

/** Length of a storage target's ExternalId: 24 random bytes in base64url. */
export const EXTERNAL_ID_LENGTH = 32;

/**
 * A fresh STS ExternalId for a storage target: 192 random bits, base64url (32 characters from
 * [A-Za-z0-9_-], within AWS's 2–1224 characters of [\w+=,.@:/-]).
 */
export function generateExternalId(): string {
  return randomBytes(24).toString('base64url');
}
