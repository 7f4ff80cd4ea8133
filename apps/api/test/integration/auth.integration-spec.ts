import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaClient } from '@isola/database';
import { createTestTenant, createTestUser, login, startTestApi, TEST_PASSWORD, WEB_ORIGIN } from '../support/test-app.js';

describe('sign-in, sessions and CSRF (real PostgreSQL and Redis)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startTestApi({ LOGIN_RATE_PER_ACCOUNT: '3' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('signs in with an HttpOnly, SameSite=Lax cookie and answers /me with the tenant and role', async () => {
    const tenant = await createTestTenant(app);
    const user = await createTestUser(app, { tenantId: tenant.id, role: 'admin' });
    const res = await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('origin', WEB_ORIGIN)
      .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD })
      .expect(200);
    const cookie = [res.headers['set-cookie']].flat()[0]!;
    expect(cookie).toMatch(/^isola_session=[A-Za-z0-9_-]{43}; Path=\/api; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect(res.body).toEqual({
      user: { id: user.id, email: user.email, displayName: expect.any(String) },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      role: 'admin',
      staffRole: null,
    });

    const me = await request(app.getHttpServer()).get('/api/auth/me').set('cookie', cookie.split(';')[0]!).expect(200);
    expect(me.body.role).toBe('admin');

    const audit = await app.get(PrismaClient).auditEvent.findMany({ where: { actorUserId: user.id, action: 'auth.login' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.tenantId).toBe(tenant.id);
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const user = await createTestUser(app);
    for (const email of [user.email, 'nobody@nowhere.test']) {
      const res = await request(app.getHttpServer())
        .post('/api/auth/login')
        .set('origin', WEB_ORIGIN)
        .send({ email, password: 'wrong' })
        .expect(401);
      expect(res.body).toEqual({ code: 'INVALID_CREDENTIALS', message: 'The email or password is not correct.' });
    }
  });

  it('rate-limits repeated failures for one account, even with the right password afterwards', async () => {
    const user = await createTestUser(app);
    for (let i = 0; i < 3; i++) {
      await request(app.getHttpServer())
        .post('/api/auth/login')
        .set('origin', WEB_ORIGIN)
        .send({ email: user.email, password: 'nope' })
        .expect(401);
    }
    const res = await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('origin', WEB_ORIGIN)
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(429);
    expect(res.body.code).toBe('LOGIN_RATE_LIMITED');
  });

  it('refuses state-changing requests from another origin or with no origin at all (CSRF)', async () => {
    const user = await createTestUser(app);
    for (const headers of [{ origin: 'https://evil.example' }, {}]) {
      const res = await request(app.getHttpServer())
        .post('/api/auth/login')
        .set(headers)
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(403);
      expect(res.body.code).toBe('CSRF_REJECTED');
    }
    await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('sec-fetch-site', 'same-origin')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
  });

  it('validates the login body and answers malformed JSON with a code', async () => {
    const bad = await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('origin', WEB_ORIGIN)
      .send({ email: 'not-an-email' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.message).toContain('email: must be an email address');
    expect(bad.body.message).toContain('password:');
  });

  it('logs out: the cookie is cleared and the session stops working', async () => {
    const user = await createTestUser(app, { staff: 'support' });
    const cookie = await login(app, user.email);
    const me = await request(app.getHttpServer()).get('/api/auth/me').set('cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ tenant: null, role: null, staffRole: 'support' });
    const out = await request(app.getHttpServer()).post('/api/auth/logout').set('origin', WEB_ORIGIN).set('cookie', cookie).expect(204);
    expect([out.headers['set-cookie']].flat()[0]).toContain('Max-Age=0');
    const after = await request(app.getHttpServer()).get('/api/auth/me').set('cookie', cookie).expect(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
  });
});
