import type { INestApplication } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import request from 'supertest';
import { supportGrantListResponseSchema, supportGrantSchema, supportTenantsResponseSchema, type SupportTenantDto } from '@isola/contracts';
import { PrismaClient, type Tenant, type User } from '@isola/database';
import { createMembership, createStaff, createStorageTarget, createTenant, createUser } from '@isola/database/seed';
import { ManualClock } from '@isola/runtime';
import { createApiApp } from '../../src/app.factory.js';
import type { Actor } from '../../src/common/auth/actor.js';
import { SupportAccessPolicy } from '../../src/modules/support/support-access-policy.service.js';
import { SupportModule } from '../../src/modules/support/support.module.js';
import { auditEventsFor } from '../support/audit-events.js';
import { sessionCookieFor } from '../support/sessions.js';
import { testApiConfig } from '../support/test-config.js';
import { WEB_ORIGIN } from '../support/test-app.js';

/**
 * Support access (issue 4, item 5): staff see tenants' storage mode and health, never media; a hosted
 * studio's admin can give support a time-boxed, audited grant; an isolated studio cannot, and its
 * media stay out of reach whatever grant rows exist. Time is a ManualClock: expiry without waiting.
 */
describe('support: tenants overview, support grants and the access policy (real PostgreSQL)', () => {
  const clock = new ManualClock(new Date('2026-02-01T09:00:00Z'));
  /** Slugs of this run's tenants start with it (the test database keeps earlier runs' tenants). */
  const run = `support-spec-${Math.random().toString(36).slice(2, 8)}`;
  let app: INestApplication;
  let prisma: PrismaClient;

  interface Studio {
    tenant: Tenant;
    admin: User;
    adminCookie: string;
    memberCookie: string;
  }
  let hosted: Studio;
  let isolated: Studio;
  let supportUser: User;
  let supportCookie: string;

  const cookieFor = (userId: string) => sessionCookieFor(app, userId, 86_400_000, clock.now());
  const server = () => request(app.getHttpServer());

  async function studio(mode: 'hosted' | 'isolated' | null): Promise<Studio> {
    const tenant = await createTenant(prisma, { slug: `${run}-${mode ?? 'none'}-${Math.random().toString(36).slice(2, 8)}` });
    if (mode) await createStorageTarget(prisma, { tenantId: tenant.id, mode, bucket: `bucket-of-${tenant.slug}` }, { activate: true });
    const admin = await createUser(prisma);
    const member = await createUser(prisma);
    await createMembership(prisma, { userId: admin.id, tenantId: tenant.id, role: 'admin' });
    await createMembership(prisma, { userId: member.id, tenantId: tenant.id, role: 'member' });
    return { tenant, admin, adminCookie: await cookieFor(admin.id), memberCookie: await cookieFor(member.id) };
  }

  const createGrant = (s: Studio, body: object, headers: Record<string, string> = { origin: WEB_ORIGIN }) =>
    server().post('/api/tenant/support-grants').set(headers).set('cookie', s.adminCookie).send(body);

  const staffActor = (user: User, role: 'support' | 'admin' = 'support'): Actor => ({
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    sessionId: '00000000-0000-4000-8000-000000000000',
    tenant: null,
    staffRole: role,
  });

  beforeAll(async () => {
    app = await createApiApp(testApiConfig({ LOG_LEVEL: 'error' }), clock);
    await app.init();
    prisma = app.get(PrismaClient);
    hosted = await studio('hosted');
    isolated = await studio('isolated');
    supportUser = await createUser(prisma);
    await createStaff(prisma, { userId: supportUser.id, role: 'support' });
    supportCookie = await cookieFor(supportUser.id);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lets a hosted studio’s admin give support a time-boxed grant, audited in the studio’s log', async () => {
    const since = new Date();
    const res = await createGrant(hosted, { durationMinutes: 90, reason: 'Ticket 42: playback stalls' }).expect(201);
    expect(supportGrantSchema.parse(res.body)).toEqual({
      id: expect.any(String),
      status: 'active',
      reason: 'Ticket 42: playback stalls',
      grantedBy: { id: hosted.admin.id, email: hosted.admin.email },
      revokedBy: null,
      createdAt: '2026-02-01T09:00:00.000Z',
      expiresAt: '2026-02-01T10:30:00.000Z',
      revokedAt: null,
    });
    const audit = await auditEventsFor(prisma, hosted.tenant.id, { since, action: 'support.' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'support.grant_created',
      actorUserId: hosted.admin.id,
      actorKind: 'user',
      expiresAt: new Date('2026-02-01T10:30:00.000Z'),
      details: { grantId: res.body.id, durationMinutes: 90, reason: 'Ticket 42: playback stalls' },
    });
    expect(audit[0]!.ip).toBeTruthy();

    const list = await server().get('/api/tenant/support-grants').set('cookie', hosted.adminCookie).expect(200);
    expect(supportGrantListResponseSchema.parse(list.body).items.map((g) => g.id)).toContain(res.body.id);
  });

  it('refuses grants for an isolated studio (409 SUPPORT_ACCESS_NOT_ALLOWED), and for a studio moving to its own bucket', async () => {
    const refused = await createGrant(isolated, { durationMinutes: 60, reason: 'please look' }).expect(409);
    expect(refused.body).toEqual({
      code: 'SUPPORT_ACCESS_NOT_ALLOWED',
      message: "Support staff never get access to an isolated studio's media, so no support grant can be given.",
      details: { storageMode: 'isolated' },
    });
    expect(await prisma.supportGrant.count({ where: { tenantId: isolated.tenant.id } })).toBe(0);

    // hosted today, but an isolated target is being set up: already out of bounds
    const moving = await studio('hosted');
    await createStorageTarget(prisma, { tenantId: moving.tenant.id, mode: 'isolated', status: 'pending' });
    expect((await createGrant(moving, { durationMinutes: 60, reason: 'please look' }).expect(409)).body.details).toEqual({
      storageMode: 'isolated',
    });

    const bare = await studio(null);
    expect((await createGrant(bare, { durationMinutes: 60, reason: 'please look' }).expect(409)).body.details).toEqual({
      storageMode: 'none',
    });
  });

  it('validates the grant: 1 to 1,440 minutes, a reason, from the web app only, by an admin only', async () => {
    for (const body of [
      { durationMinutes: 1441, reason: 'too long' },
      { durationMinutes: 0, reason: 'zero' },
      { durationMinutes: 1.5, reason: 'x y' },
      { durationMinutes: 30 },
    ]) {
      expect((await createGrant(hosted, body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    await createGrant(hosted, { durationMinutes: 1440, reason: 'a whole day' }).expect(201);
    expect((await createGrant(hosted, { durationMinutes: 30, reason: 'no origin' }, {}).expect(403)).body.code).toBe('CSRF_REJECTED');
    const asMember = await server()
      .post('/api/tenant/support-grants')
      .set('origin', WEB_ORIGIN)
      .set('cookie', hosted.memberCookie)
      .send({ durationMinutes: 30, reason: 'member tries' })
      .expect(403);
    expect(asMember.body.code).toBe('FORBIDDEN');
    await server()
      .post('/api/tenant/support-grants')
      .set('origin', WEB_ORIGIN)
      .set('cookie', supportCookie)
      .send({ durationMinutes: 30, reason: 'staff tries' })
      .expect(403);
  });

  it('revokes a grant once (audited once), and answers another studio’s grant id with 404', async () => {
    const grant = (await createGrant(hosted, { durationMinutes: 30, reason: 'to revoke' }).expect(201)).body as { id: string };
    const since = new Date();
    const strangers = await server()
      .delete(`/api/tenant/support-grants/${grant.id}`)
      .set('origin', WEB_ORIGIN)
      .set('cookie', isolated.adminCookie)
      .expect(404);
    expect(strangers.body.code).toBe('SUPPORT_GRANT_NOT_FOUND');
    expect((await prisma.supportGrant.findUniqueOrThrow({ where: { id: grant.id } })).revokedAt).toBeNull();
    await server().delete('/api/tenant/support-grants/not-a-uuid').set('origin', WEB_ORIGIN).set('cookie', hosted.adminCookie).expect(404);

    clock.advance(60_000);
    for (let i = 0; i < 2; i++) {
      const res = await server()
        .delete(`/api/tenant/support-grants/${grant.id}`)
        .set('origin', WEB_ORIGIN)
        .set('cookie', hosted.adminCookie)
        .expect(200);
      expect(res.body).toMatchObject({
        id: grant.id,
        status: 'revoked',
        revokedAt: '2026-02-01T09:01:00.000Z',
        revokedBy: { id: hosted.admin.id, email: hosted.admin.email },
      });
    }
    const audit = await auditEventsFor(prisma, hosted.tenant.id, { since, action: 'support.grant_revoked' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: hosted.admin.id, details: { grantId: grant.id, wasActive: true } });
    const list = await server().get('/api/tenant/support-grants').set('cookie', isolated.adminCookie).expect(200);
    expect(list.body).toEqual({ items: [] });
  });

  it('shows staff each tenant’s storage mode, target status and support access — no media, buckets or role ARNs', async () => {
    const res = await server().get(`/api/support/tenants?q=${run}&limit=200`).set('cookie', supportCookie).expect(200);
    const body = supportTenantsResponseSchema.parse(res.body);
    const find = (t: Tenant) => body.items.find((i) => i.id === t.id) as SupportTenantDto;
    expect(find(hosted.tenant)).toMatchObject({
      slug: hosted.tenant.slug,
      storageMode: 'hosted',
      activeTarget: { mode: 'hosted', provider: 's3_compatible', status: 'active', lastCheckAt: null },
      targetCounts: { active: 1 },
      supportAccess: { allowed: true, until: '2026-02-02T09:00:00.000Z' },
    });
    expect(find(isolated.tenant)).toMatchObject({ storageMode: 'isolated', supportAccess: { allowed: false, until: null } });
    const text = JSON.stringify(res.body);
    for (const secret of ['bucket-of-', 'arn:aws', 'roleArn', 'externalId', 'prefix', 'tenants/', 'media'])
      expect(text).not.toContain(secret);

    // cursor paging by slug
    const first = await server().get(`/api/support/tenants?q=${run}&limit=1`).set('cookie', supportCookie).expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await server()
      .get(`/api/support/tenants?q=${run}&limit=1&cursor=${first.body.nextCursor}`)
      .set('cookie', supportCookie)
      .expect(200);
    expect(second.body.items[0].slug > first.body.items[0].slug).toBe(true);

    await server().get('/api/support/tenants').set('cookie', hosted.adminCookie).expect(403);
    await server().get('/api/support/tenants').expect(401);
    expect((await server().get('/api/support/tenants?cursor=%21').set('cookie', supportCookie).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  describe('SupportAccessPolicy (exported for the media and upload routes)', () => {
    it('is exported by SupportModule', () => {
      expect(Reflect.getMetadata(MODULE_METADATA.EXPORTS, SupportModule)).toContain(SupportAccessPolicy);
    });

    it('admits staff to a hosted studio only while a grant is live, then refuses and audits the attempt', async () => {
      const policy = app.get(SupportAccessPolicy, { strict: false });
      const s = await studio('hosted');
      const staff = staffActor(supportUser);
      const since = new Date();
      await expect(policy.assertStaffMayAccessMedia(staff, s.tenant.id)).rejects.toMatchObject({
        status: 403,
        code: 'SUPPORT_ACCESS_DENIED',
      });

      const grant = (await createGrant(s, { durationMinutes: 15, reason: 'look at clip' }).expect(201)).body as {
        id: string;
        expiresAt: string;
      };
      await expect(policy.assertStaffMayAccessMedia(staff, s.tenant.id)).resolves.toEqual({
        kind: 'support-grant',
        grantId: grant.id,
        expiresAt: new Date(grant.expiresAt),
      });
      clock.advance(15 * 60_000);
      await expect(policy.assertStaffMayAccessMedia(staff, s.tenant.id)).rejects.toMatchObject({
        status: 403,
        code: 'SUPPORT_ACCESS_DENIED',
      });
      clock.advance(-15 * 60_000);

      const denied = await auditEventsFor(prisma, s.tenant.id, { since, action: 'support.media_access_denied' });
      expect(denied.map((e) => [e.actorUserId, e.actorKind, e.details])).toEqual([
        [supportUser.id, 'staff', { reason: 'no-grant' }],
        [supportUser.id, 'staff', { reason: 'no-grant' }],
      ]);
    });

    it('never admits staff (support or platform admin) to an isolated studio, whatever grant rows exist', async () => {
      const policy = app.get(SupportAccessPolicy, { strict: false });
      // a grant left from when the studio was hosted: the policy re-reads the storage mode every time
      const now = clock.now();
      await prisma.supportGrant.create({
        data: { tenantId: isolated.tenant.id, reason: 'legacy', createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
      });
      for (const role of ['support', 'admin'] as const) {
        await expect(policy.assertStaffMayAccessMedia(staffActor(supportUser, role), isolated.tenant.id)).rejects.toMatchObject({
          status: 403,
          code: 'SUPPORT_ACCESS_DENIED',
          message: "Support staff never get access to an isolated studio's media.",
        });
      }
      // …and a hosted studio with a live grant stops being reachable the moment it adds its own bucket
      expect((await policy.assertStaffMayAccessMedia(staffActor(supportUser), hosted.tenant.id)).kind).toBe('support-grant');
      await createStorageTarget(prisma, { tenantId: hosted.tenant.id, mode: 'isolated', status: 'pending' });
      await expect(policy.assertStaffMayAccessMedia(staffActor(supportUser), hosted.tenant.id)).rejects.toMatchObject({ status: 403 });
    });
  });
});
