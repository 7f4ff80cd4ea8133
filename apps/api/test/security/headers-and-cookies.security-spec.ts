import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaClient } from '@isola/database';
import { SESSION_COOKIE } from '../../src/common/auth/cookies.js';
import { sessionCookieFor } from '../support/sessions.js';
import { createTestTenant, createTestUser, login, startTestApi, TEST_PASSWORD, WEB_ORIGIN } from '../support/test-app.js';

/**
 * Issue 8, security: every answer carries helmet's defaults and no server banner, and the session
 * cookie is what DECISIONS.md promises (HttpOnly, SameSite=Lax, scoped to the API, Secure in
 * production); a session ends on the server when its user signs out.
 */

/** The headers helmet 8 sets by default, exactly (a change of helmet's defaults should be a decision). */
const HELMET_EXACT: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** CSP directives the API's answers must carry (helmet's default policy). */
const CSP_DIRECTIVES = ["default-src 'self'", "frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'", "script-src 'self'"];
const STRICTEST_CSP = "default-src 'none'";

function securityHeaderProblems(label: string, headers: Record<string, string | string[] | undefined>): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(HELMET_EXACT)) {
    if (headers[name] !== want) problems.push(`${label}: ${name} is ${JSON.stringify(headers[name])}, want ${JSON.stringify(want)}`);
  }
  const csp = String(headers['content-security-policy'] ?? '');
  const directives = csp.split(';').map((d) => d.trim());
  // Express's own final handler (paths outside /api) answers with the stricter `default-src 'none'`
  if (csp !== STRICTEST_CSP) {
    for (const directive of CSP_DIRECTIVES) {
      if (!directives.includes(directive)) problems.push(`${label}: CSP lacks "${directive}" (got ${JSON.stringify(csp)})`);
    }
  }
  for (const banner of ['server', 'x-powered-by']) {
    if (headers[banner] !== undefined) problems.push(`${label}: ${banner} banner ${JSON.stringify(headers[banner])}`);
  }
  // CORS is not enabled: no other site may read an answer
  if (headers['access-control-allow-origin'] !== undefined) {
    problems.push(`${label}: access-control-allow-origin ${JSON.stringify(headers['access-control-allow-origin'])}`);
  }
  return problems;
}

interface CookieAttributes {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

function parseSetCookie(header: string): CookieAttributes {
  const [pair = '', ...rest] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const [key = '', value = ''] = attribute.split('=');
    attributes.set(key.toLowerCase(), value);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

function setCookies(res: request.Response): string[] {
  const header = res.headers['set-cookie'] as string | string[] | undefined;
  return header === undefined ? [] : [header].flat();
}

describe('security headers and the session cookie', () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'fatal' });
    prisma = app.get(PrismaClient);
  });
  afterAll(async () => {
    await app?.close();
  });

  const http = () => request(app.getHttpServer());

  it('sends helmet’s defaults and no server banner on every kind of answer (2xx, 4xx, errors, streams)', async () => {
    const tenant = await createTestTenant(app);
    const admin = await createTestUser(app, { tenantId: tenant.id, role: 'admin' });
    const cookie = await sessionCookieFor(app, admin.id);
    const answers: Array<[string, request.Response]> = [
      ['GET /api/health (public)', await http().get('/api/health')],
      ['GET /api/auth/me (signed in)', await http().get('/api/auth/me').set('cookie', cookie).expect(200)],
      ['GET /api/auth/me (anonymous: 401)', await http().get('/api/auth/me').expect(401)],
      ['GET /api/support/tenants (wrong role: 403)', await http().get('/api/support/tenants').set('cookie', cookie).expect(403)],
      ['GET /api/nothing-here (404)', await http().get('/api/nothing-here').expect(404)],
      ['GET / (outside the prefix: 404)', await http().get('/').expect(404)],
      [
        'POST /api/auth/login (malformed JSON: 400)',
        await http()
          .post('/api/auth/login')
          .set('origin', WEB_ORIGIN)
          .set('content-type', 'application/json')
          .send('{"email":')
          .expect(400),
      ],
      [
        'POST /api/auth/login (foreign origin: 403)',
        await http().post('/api/auth/login').set('origin', 'https://evil.example').send({}).expect(403),
      ],
      [
        'GET /api/tenant/audit/export (streamed with @Res)',
        await http().get('/api/tenant/audit/export?format=csv').set('cookie', cookie).set('origin', 'https://evil.example').expect(200),
      ],
      ['OPTIONS /api/media (preflight from another site)', await http().options('/api/media').set('origin', 'https://evil.example')],
    ];
    const problems = answers.flatMap(([label, res]) => securityHeaderProblems(`${label} → ${res.status}`, res.headers));
    expect(problems).toEqual([]);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/api, with the session’s Max-Age — and never Secure outside production', async () => {
    const user = await createTestUser(app);
    const res = await http()
      .post('/api/auth/login')
      .set('origin', WEB_ORIGIN)
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const cookies = setCookies(res);
    expect(cookies).toHaveLength(1);
    const cookie = parseSetCookie(cookies[0]!);
    expect(cookie.name).toBe(SESSION_COOKIE);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(Object.fromEntries(cookie.attributes)).toEqual({ path: '/api', httponly: '', samesite: 'Lax', 'max-age': '43200' });
    // no Domain attribute: the cookie stays on the host that set it
    expect(cookie.attributes.has('domain')).toBe(false);
    // the body never carries the token
    expect(res.text).not.toContain(cookie.value);
  });

  it('marks the cookie Secure (on sign-in and sign-out) when the API runs with NODE_ENV=production', async () => {
    const prod = await startTestApi({
      NODE_ENV: 'production',
      LOG_LEVEL: 'fatal',
      API_PLATFORM_ACCESS_KEY_ID: 'ISOLAAPIPRINCIPAL001',
      API_PLATFORM_SECRET_ACCESS_KEY: 'localApiPrincipalSecret00000000000000000',
      API_PLATFORM_PRINCIPAL_ARN: 'arn:aws:iam:::user/isola-api',
      S3_ENDPOINT: 'http://127.0.0.1:7480',
    });
    try {
      const user = await createTestUser(prod);
      const res = await request(prod.getHttpServer())
        .post('/api/auth/login')
        .set('origin', WEB_ORIGIN)
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const signedIn = parseSetCookie(setCookies(res)[0]!);
      expect([...signedIn.attributes.keys()].sort()).toEqual(['httponly', 'max-age', 'path', 'samesite', 'secure']);
      expect(signedIn.attributes.get('samesite')).toBe('Lax');
      expect(securityHeaderProblems('production sign-in', res.headers)).toEqual([]);

      const out = await request(prod.getHttpServer())
        .post('/api/auth/logout')
        .set('origin', WEB_ORIGIN)
        .set('cookie', `${signedIn.name}=${signedIn.value}`)
        .expect(204);
      const cleared = parseSetCookie(setCookies(out)[0]!);
      expect(cleared.attributes.has('secure')).toBe(true);
    } finally {
      await prod.close();
    }
  });

  it('ends the session on the server at sign-out: the old cookie is refused everywhere, and its cookie is cleared', async () => {
    const tenant = await createTestTenant(app);
    const user = await createTestUser(app, { tenantId: tenant.id, role: 'admin' });
    const cookie = await login(app, user.email);
    const sessionsBefore = await prisma.session.count({ where: { userId: user.id } });
    expect(sessionsBefore).toBe(1);

    const out = await http().post('/api/auth/logout').set('origin', WEB_ORIGIN).set('cookie', cookie).expect(204);
    const cleared = parseSetCookie(setCookies(out)[0]!);
    expect(cleared).toEqual({
      name: SESSION_COOKIE,
      value: '',
      attributes: new Map([
        ['path', '/api'],
        ['httponly', ''],
        ['samesite', 'Lax'],
        ['max-age', '0'],
      ]),
    });
    // the row is gone: a copy of the cookie kept by an attacker is worthless
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    for (const req of [
      http().get('/api/auth/me'),
      http().get('/api/media'),
      http().post('/api/auth/logout').set('origin', WEB_ORIGIN),
      http().post('/api/tenant/support-grants').set('origin', WEB_ORIGIN).send({ durationMinutes: 5, reason: 'replayed cookie' }),
    ]) {
      const res = await req.set('cookie', cookie);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
    expect(await prisma.supportGrant.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it('refuses tokens it did not issue or that expired, and issues a fresh token at every sign-in (no session fixation)', async () => {
    const user = await createTestUser(app);
    for (const token of ['', 'not-a-token', 'A'.repeat(43), `${'x'.repeat(4096)}`, '%00', '../../etc/passwd']) {
      const res = await http().get('/api/auth/me').set('cookie', `${SESSION_COOKIE}=${token}`);
      expect({ token: token.slice(0, 12), status: res.status }).toEqual({ token: token.slice(0, 12), status: 401 });
    }
    const expired = await sessionCookieFor(app, user.id, -1_000);
    expect((await http().get('/api/auth/me').set('cookie', expired).expect(401)).body.code).toBe('UNAUTHENTICATED');

    // signing in while presenting a (planted) cookie gives a new token; the planted one stays what it was
    const planted = await sessionCookieFor(app, user.id);
    const res = await http()
      .post('/api/auth/login')
      .set('origin', WEB_ORIGIN)
      .set('cookie', planted)
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const issued = parseSetCookie(setCookies(res)[0]!);
    expect(`${issued.name}=${issued.value}`).not.toBe(planted);
    const second = parseSetCookie(
      setCookies(
        await http().post('/api/auth/login').set('origin', WEB_ORIGIN).send({ email: user.email, password: TEST_PASSWORD }).expect(200),
      )[0]!,
    );
    expect(second.value).not.toBe(issued.value);
  });
});
