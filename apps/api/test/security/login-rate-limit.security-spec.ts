import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestUser, startTestApi, TEST_PASSWORD, WEB_ORIGIN } from '../support/test-app.js';

/**
 * Issue 8, security: sign-in throttling (Redis fixed windows, login-rate-limiter.ts) with the limits
 * shortened by config. Per account (per IP and email) and per IP; 429 LOGIN_RATE_LIMITED with the
 * wait; a correct password inside the limit still works; the answers never tell which emails exist.
 */

const WINDOW_SECONDS = 60;
const PER_ACCOUNT = 3;
const PER_IP = 8;

/** All requests come from 127.0.0.1: the per-account tests get an IP budget they cannot use up. */
const limits = (perIp: number) => ({
  LOG_LEVEL: 'fatal',
  LOGIN_RATE_WINDOW_SECONDS: String(WINDOW_SECONDS),
  LOGIN_RATE_PER_ACCOUNT: String(PER_ACCOUNT),
  LOGIN_RATE_PER_IP: String(perIp),
});

function attempt(app: INestApplication, email: string, password: string, headers: Record<string, string> = {}) {
  return request(app.getHttpServer()).post('/api/auth/login').set('origin', WEB_ORIGIN).set(headers).send({ email, password });
}

/** The answer without what legitimately varies (the seconds left). */
function shape(res: request.Response) {
  return {
    status: res.status,
    code: res.body.code as unknown,
    message: String(res.body.message).replace(/\d+/g, 'N'),
    keys: Object.keys(res.body as object).sort(),
    setsCookie: res.headers['set-cookie'] !== undefined,
  };
}

describe('login rate limit', () => {
  describe('per account', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await startTestApi(limits(1_000));
    });
    afterAll(async () => {
      await app?.close();
    });

    it('lets the right password in after a few failures, and a success clears the account’s count', async () => {
      const user = await createTestUser(app);
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < PER_ACCOUNT - 1; i++) await attempt(app, user.email, 'wrong').expect(401);
        await attempt(app, user.email, TEST_PASSWORD).expect(200);
      }
    });

    it('answers 429 LOGIN_RATE_LIMITED with the seconds to wait once the account’s limit is used up — even to the right password', async () => {
      const user = await createTestUser(app);
      for (let i = 0; i < PER_ACCOUNT; i++) await attempt(app, user.email, 'wrong').expect(401);
      const limited = await attempt(app, user.email, TEST_PASSWORD).expect(429);
      expect(limited.body).toEqual({
        code: 'LOGIN_RATE_LIMITED',
        message: expect.stringMatching(/^Too many sign-in attempts\. Try again in \d+ seconds\.$/),
        details: { retryAfterSeconds: expect.any(Number) },
      });
      const wait = limited.body.details.retryAfterSeconds as number;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
      expect(limited.headers['set-cookie']).toBeUndefined();
    });

    it('sends the wait as a Retry-After header too (RFC 9110 §10.2.3)', async () => {
      const user = await createTestUser(app);
      for (let i = 0; i < PER_ACCOUNT; i++) await attempt(app, user.email, 'wrong').expect(401);
      const limited = await attempt(app, user.email, TEST_PASSWORD).expect(429);
      expect(limited.headers['retry-after']).toBe(String(limited.body.details.retryAfterSeconds));
    });

    it('counts one account however its email is written (case, surrounding spaces)', async () => {
      const user = await createTestUser(app);
      const spellings = [user.email.toUpperCase(), ` ${user.email} `, user.email.replace(/^./, (c) => c.toUpperCase())];
      for (const email of spellings) await attempt(app, email, 'wrong').expect(401);
      expect((await attempt(app, user.email, TEST_PASSWORD).expect(429)).body.code).toBe('LOGIN_RATE_LIMITED');
    });

    it('gives an unknown email exactly the answers a known one gets, before and at the limit (no enumeration)', async () => {
      const known = await createTestUser(app);
      const unknown = `nobody-${Date.now()}@isola.test`;
      const answers = async (email: string) => {
        const seen: ReturnType<typeof shape>[] = [];
        for (let i = 0; i <= PER_ACCOUNT; i++) seen.push(shape(await attempt(app, email, 'wrong')));
        return seen;
      };
      const forKnown = await answers(known.email);
      const forUnknown = await answers(unknown);
      expect(forKnown.map((a) => a.status)).toEqual([...Array<number>(PER_ACCOUNT).fill(401), 429]);
      expect(forUnknown).toEqual(forKnown);
    });
  });

  describe('per IP', () => {
    let app: INestApplication;

    beforeAll(async () => {
      // its own app: its own Redis key prefix, so the per-account tests above do not use up this IP's budget
      app = await startTestApi(limits(PER_IP));
    });
    afterAll(async () => {
      await app?.close();
    });

    it('stops every account from an IP that failed too often — spoofed X-Forwarded-For headers do not reset it', async () => {
      const victim = await createTestUser(app);
      for (let i = 0; i < PER_IP; i++) {
        // a different email each time: no account reaches its own limit
        await attempt(app, `spray-${i}-${Date.now()}@isola.test`, 'Winter2026!').expect(401);
      }
      const limited = await attempt(app, victim.email, TEST_PASSWORD).expect(429);
      expect(limited.body.code).toBe('LOGIN_RATE_LIMITED');
      for (const forwarded of ['203.0.113.7', '198.51.100.1, 203.0.113.9']) {
        const res = await attempt(app, victim.email, TEST_PASSWORD, { 'x-forwarded-for': forwarded, 'x-real-ip': forwarded });
        expect({ forwarded, status: res.status }).toEqual({ forwarded, status: 429 });
      }
    });
  });
});
