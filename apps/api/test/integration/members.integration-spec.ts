import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { memberListResponseSchema } from '@isola/contracts';
import { PrismaClient, type Tenant } from '@isola/database';
import { createMembership, createTenant, createUser } from '@isola/database/seed';
import { sessionCookieFor } from '../support/sessions.js';
import { startTestApi, WEB_ORIGIN } from '../support/test-app.js';

describe('members and roles: /api/tenant/members (real PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let ids: { admin: string; member: string; outsider: string; outsiderEmail: string };
  let cookies: { admin: string; member: string };

  const http = () => request(app.getHttpServer());
  const send = (method: 'post' | 'patch' | 'delete', path: string, cookie: string) =>
    http()[method](path).set('cookie', cookie).set('origin', WEB_ORIGIN);

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'error' });
    prisma = app.get(PrismaClient);
    tenant = await createTenant(prisma);
    const [admin, member, outsider] = await Promise.all([createUser(prisma), createUser(prisma), createUser(prisma)]);
    await createMembership(prisma, { userId: admin!.id, tenantId: tenant.id, role: 'admin' });
    await createMembership(prisma, { userId: member!.id, tenantId: tenant.id, role: 'member' });
    ids = { admin: admin!.id, member: member!.id, outsider: outsider!.id, outsiderEmail: outsider!.email };
    cookies = { admin: await sessionCookieFor(app, admin!.id), member: await sessionCookieFor(app, member!.id) };
  });

  afterAll(async () => {
    await prisma?.tenant.delete({ where: { id: tenant.id } }).catch(() => undefined);
    await app?.close();
  });

  const actions = async () =>
    (
      await prisma.auditEvent.findMany({ where: { tenantId: tenant.id, action: { startsWith: 'member.' } }, orderBy: { createdAt: 'asc' } })
    ).map((e) => e.action);

  it('lists the studio’s members, admins first; members cannot', async () => {
    const res = await http().get('/api/tenant/members').set('cookie', cookies.admin).expect(200);
    const list = memberListResponseSchema.parse(res.body);
    expect(list.items.map((m) => [m.userId, m.role])).toEqual([
      [ids.admin, 'admin'],
      [ids.member, 'member'],
    ]);
    await http().get('/api/tenant/members').set('cookie', cookies.member).expect(403);
  });

  it('adds an existing account by email (case-insensitive), refuses unknown emails and duplicates', async () => {
    const added = await send('post', '/api/tenant/members', cookies.admin).send({ email: ids.outsiderEmail.toUpperCase() }).expect(201);
    expect(added.body).toMatchObject({ userId: ids.outsider, role: 'member' });
    const again = await send('post', '/api/tenant/members', cookies.admin).send({ email: ids.outsiderEmail }).expect(409);
    expect(again.body.code).toBe('ALREADY_MEMBER');
    const unknown = await send('post', '/api/tenant/members', cookies.admin).send({ email: 'nobody-here@example.test' }).expect(404);
    expect(unknown.body.code).toBe('USER_NOT_FOUND');
    const bad = await send('post', '/api/tenant/members', cookies.admin).send({ email: 'not-an-email', role: 'owner' }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('changes roles, never leaving the studio without an admin', async () => {
    const lonely = await send('patch', `/api/tenant/members/${ids.admin}`, cookies.admin).send({ role: 'member' }).expect(409);
    expect(lonely.body.code).toBe('LAST_ADMIN');
    await send('patch', `/api/tenant/members/${ids.member}`, cookies.admin).send({ role: 'admin' }).expect(200);
    // now the promoted member can act as an admin, and the first admin may step down
    await http().get('/api/tenant/members').set('cookie', cookies.member).expect(200);
    await send('patch', `/api/tenant/members/${ids.admin}`, cookies.member).send({ role: 'member' }).expect(200);
    await http().get('/api/tenant/members').set('cookie', cookies.admin).expect(403);
    await send('patch', `/api/tenant/members/not-a-uuid`, cookies.member).send({ role: 'admin' }).expect(404);
  });

  it('removes a member: their session no longer acts for the studio; the last admin cannot be removed', async () => {
    const last = await send('delete', `/api/tenant/members/${ids.member}`, cookies.member).expect(409);
    expect(last.body.code).toBe('LAST_ADMIN');
    await send('delete', `/api/tenant/members/${ids.admin}`, cookies.member).expect(204);
    await http().get('/api/media').set('cookie', cookies.admin).expect(401);
    expect(await prisma.membership.count({ where: { tenantId: tenant.id, userId: ids.admin } })).toBe(0);
    expect(await actions()).toEqual(['member.added', 'member.role_changed', 'member.role_changed', 'member.removed']);
  });

  it('refuses a state change from another origin (CSRF)', async () => {
    const res = await http()
      .patch(`/api/tenant/members/${ids.outsider}`)
      .set('cookie', cookies.member)
      .set('origin', 'https://evil.example')
      .send({ role: 'admin' })
      .expect(403);
    expect(res.body.code).toBe('CSRF_REJECTED');
  });
});
