import type { INestApplication } from '@nestjs/common';
import { SESSION_COOKIE } from '../../src/common/auth/cookies.js';
import { SessionsRepository } from '../../src/modules/auth/sessions.repository.js';

/**
 * A fresh session cookie for a user, minted the way sign-in does (acting for the user's first studio)
 * but without a password round-trip: for suites that need many sessions (a request that logs out must
 * not end the next request's session) without tripping the sign-in rate limits.
 */
export async function sessionCookieFor(app: INestApplication, userId: string, ttlMs = 3_600_000, now = new Date()): Promise<string> {
  const { token } = await app.get(SessionsRepository, { strict: false }).create(userId, new Date(now.getTime() + ttlMs));
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}`;
}
