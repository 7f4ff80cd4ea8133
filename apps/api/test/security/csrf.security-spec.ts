import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaClient } from '@isola/database';
import type { AccessRule } from '../../src/common/auth/actor.js';
import { listHttpRoutes, type HttpRoute } from '../support/route-table.js';
import { sessionCookieFor } from '../support/sessions.js';
import { startTestApi, WEB_ORIGIN } from '../support/test-app.js';
import { createTwoTenantWorld, paramValue, type Caller, type TwoTenantWorld } from '../support/two-tenant-world.js';

/**
 * Issue 8, security: CSRF on every state-changing route Nest serves (found through the router, so
 * routes added later are covered without editing this file). A caller the route admits, with a live
 * session and a body the route accepts, sends the request from somewhere that is not the web app:
 * the answer is 403 CSRF_REJECTED, and nothing the handler would have touched changed. A control
 * request from the web app's origin shows the same requests do change state when allowed.
 */

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a cross-site or non-browser sender can put in the headers the check reads. */
const HOSTILE_HEADERS: Array<[string, Record<string, string>]> = [
  ['foreign Origin', { origin: 'https://evil.example' }],
  ['foreign Origin claiming Sec-Fetch-Site: same-origin', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }],
  ['opaque Origin "null" (sandboxed frame, file:)', { origin: 'null' }],
  ['look-alike Origin (web origin as a prefix)', { origin: `${WEB_ORIGIN}.evil.example` }],
  ['look-alike Origin (other port)', { origin: `${WEB_ORIGIN}0` }],
  ['web Origin with a path', { origin: `${WEB_ORIGIN}/` }],
  ['no Origin, no Sec-Fetch-Site', {}],
  ['no Origin, Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['no Origin, Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ['no Origin, Sec-Fetch-Site: none', { 'sec-fetch-site': 'none' }],
];

/** Bodies the routes accept (so a request would pass validation and act if the check let it through). */
const VALID_BODIES: Record<string, object> = {
  'POST /api/auth/login': { email: 'nobody@csrf.test', password: 'whatever-it-is' },
  'PATCH /api/media/:id': { filename: 'renamed-by-csrf.mp4' },
  'POST /api/s3/multipart': { filename: 'csrf.mp4', type: 'video/mp4', metadata: { size: 1024 } },
  'POST /api/s3/multipart/:uploadId/complete': { parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }] },
  'POST /api/tenant/support-grants': { durationMinutes: 30, reason: 'csrf attempt' },
};

/** The caller a route admits (tenant routes: studio A's admin; staff routes: the platform admin). */
function admittedCaller(world: TwoTenantWorld, rules: AccessRule[]): Caller | null {
  const byName = (name: string) => world.callers.find((c) => c.name === name)!;
  if (rules.includes('public')) return null;
  if (rules.some((r) => r === 'staff' || r === 'staff-admin')) return byName('staffAdmin');
  return byName('adminA');
}

interface Snapshot {
  media: unknown[];
  uploads: unknown[];
  grants: unknown[];
  targets: unknown[];
  notices: unknown[];
  migrations: unknown[];
  tenants: unknown[];
  auditRows: number;
  sessions: number;
}

describe('CSRF: every state-changing route refuses requests that do not come from the web app', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let world: TwoTenantWorld;
  let routes: HttpRoute[];
  let noticeId: string;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'fatal' });
    prisma = app.get(PrismaClient);
    world = await createTwoTenantWorld(app);
    for (const caller of world.callers) if (caller.userId) cookies.set(caller.name, await sessionCookieFor(app, caller.userId));
    noticeId = (await prisma.notice.create({ data: { tenantId: world.studios.A.tenant.id, kind: 'csrf.fixture', message: 'fixture' } })).id;
    routes = listHttpRoutes(app).filter((r) => STATE_CHANGING.has(r.method));
  });
  afterAll(async () => {
    await app?.close();
  });

  const tenantIds = () => [world.studios.A.tenant.id, world.studios.B.tenant.id];

  async function snapshot(): Promise<Snapshot> {
    const tenantId = { in: tenantIds() };
    const userIds = world.callers.flatMap((c) => (c.userId ? [c.userId] : []));
    return {
      media: await prisma.media.findMany({
        where: { tenantId },
        select: { id: true, filename: true, status: true, deletedAt: true, updatedAt: true },
        orderBy: { id: 'asc' },
      }),
      uploads: await prisma.multipartUpload.findMany({
        where: { tenantId },
        select: { id: true, status: true, updatedAt: true },
        orderBy: { id: 'asc' },
      }),
      grants: await prisma.supportGrant.findMany({ where: { tenantId }, select: { id: true, revokedAt: true }, orderBy: { id: 'asc' } }),
      targets: await prisma.storageTarget.findMany({
        where: { tenantId },
        select: { id: true, status: true, updatedAt: true },
        orderBy: { id: 'asc' },
      }),
      notices: await prisma.notice.findMany({ where: { tenantId }, select: { id: true, dismissedAt: true }, orderBy: { id: 'asc' } }),
      migrations: await prisma.migration.findMany({ where: { tenantId }, select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }),
      tenants: await prisma.tenant.findMany({ where: { id: tenantId }, select: { id: true, updatedAt: true }, orderBy: { id: 'asc' } }),
      auditRows: await prisma.auditEvent.count({ where: { OR: [{ tenantId }, { actorUserId: { in: userIds } }] } }),
      sessions: await prisma.session.count({ where: { userId: { in: userIds } } }),
    };
  }

  function urlFor(route: HttpRoute): string {
    const studio = world.studios.A;
    const path = route.path
      .split('/')
      .map((segment, i, all) => {
        const param = /^:(\w+)/.exec(segment)?.[1];
        if (!param) return segment;
        if (all[i - 1] === 'notices') return noticeId;
        return encodeURIComponent(paramValue(studio, param, all[i - 1] ?? '').value);
      })
      .join('/');
    return `${path}?key=${encodeURIComponent(studio.media.objectKey)}`;
  }

  function send(route: HttpRoute, headers: Record<string, string>): request.Test {
    const method = route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
    let req = request(app.getHttpServer())[method](urlFor(route)).set(headers);
    const caller = admittedCaller(world, route.rules);
    if (caller) req = req.set('cookie', cookies.get(caller.name)!);
    return req.send(VALID_BODIES[`${route.method} ${route.path}`] ?? {});
  }

  it('finds the state-changing routes through the router', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const known of [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/s3/multipart',
      'PATCH /api/media/:id',
      'DELETE /api/media/:id',
    ]) {
      expect(names).toContain(known);
    }
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  it('answers 403 CSRF_REJECTED to every hostile variant on every state-changing route, changing nothing', async () => {
    const before = await snapshot();
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [variant, headers] of HOSTILE_HEADERS) {
        const res = await send(route, headers);
        if (res.status !== 403 || res.body?.code !== 'CSRF_REJECTED' || typeof res.body?.message !== 'string') {
          wrong.push(`${route.method} ${route.path} [${variant}] → ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // no row the handlers write (media, uploads, grants, targets, notices, sessions, audit) moved
    expect(await snapshot()).toEqual(before);
    // the sessions used are all still alive (the sign-out route never ran)
    for (const [name, cookie] of cookies) {
      const me = await request(app.getHttpServer()).get('/api/auth/me').set('cookie', cookie);
      expect({ name, status: me.status }).toEqual({ name, status: 200 });
    }
  });

  it('control: the same requests from the web app reach the handlers and do change state', async () => {
    const find = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!;
    const media = world.studios.A.media;

    const renamed = await send(find('PATCH', '/api/media/:id'), { origin: WEB_ORIGIN }).expect(200);
    expect(renamed.body.filename).toBe('renamed-by-csrf.mp4');
    expect((await prisma.media.findUniqueOrThrow({ where: { id: media.id } })).filename).toBe('renamed-by-csrf.mp4');

    await send(find('POST', '/api/tenant/notices/:id/dismiss'), { 'sec-fetch-site': 'same-origin' }).expect(200);
    expect((await prisma.notice.findUniqueOrThrow({ where: { id: noticeId } })).dismissedAt).not.toBeNull();

    await send(find('DELETE', '/api/tenant/support-grants/:id'), { origin: WEB_ORIGIN }).expect(200);
    expect((await prisma.supportGrant.findUniqueOrThrow({ where: { id: world.studios.A.grantId } })).revokedAt).not.toBeNull();
  });
});
