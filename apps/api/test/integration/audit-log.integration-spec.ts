import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { auditEventSchema, auditListResponseSchema, type AuditEventDto } from '@isola/contracts';
import { PrismaClient, type Prisma, type Tenant } from '@isola/database';
import { createMembership, createStaff, createTenant, createUser } from '@isola/database/seed';
import { auditEventsFor } from '../support/audit-events.js';
import { sessionCookieFor } from '../support/sessions.js';
import { startTestApi } from '../support/test-app.js';

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || record.length > 0) throw new Error('the CSV does not end with CRLF');
  return records;
}

const WINDOW = { from: '2025-06-01T00:00:00Z', to: '2025-06-02T00:00:00Z' };
const at = (time: string) => new Date(`2025-06-01T${time}Z`);

describe('tenant audit log: GET /api/tenant/audit and /export (real PostgreSQL)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let cookies: { admin: string; member: string; staff: string; otherAdmin: string };
  let ids: { admin: string; member: string; gone: string };
  let email: { admin: string; member: string };
  /** The seeded events of `tenant`, newest first (ties broken by id, descending). */
  let expected: Array<{ id: string; action: string }>;

  const get = (path: string, cookie: string) => request(app.getHttpServer()).get(path).set('cookie', cookie);

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'error' });
    prisma = app.get(PrismaClient);
    tenant = await createTenant(prisma);
    const other = await createTenant(prisma);
    const [admin, member, staff, otherAdmin] = await Promise.all([
      createUser(prisma),
      createUser(prisma),
      createUser(prisma),
      createUser(prisma),
    ]);
    await createMembership(prisma, { userId: admin!.id, tenantId: tenant.id, role: 'admin' });
    await createMembership(prisma, { userId: member!.id, tenantId: tenant.id, role: 'member' });
    await createMembership(prisma, { userId: otherAdmin!.id, tenantId: other.id, role: 'admin' });
    await createStaff(prisma, { userId: staff!.id, role: 'admin' });
    cookies = {
      admin: await sessionCookieFor(app, admin!.id),
      member: await sessionCookieFor(app, member!.id),
      staff: await sessionCookieFor(app, staff!.id),
      otherAdmin: await sessionCookieFor(app, otherAdmin!.id),
    };
    ids = { admin: admin!.id, member: member!.id, gone: randomUUID() };
    email = { admin: admin!.email, member: member!.email };

    const key = (media: string, name = 'source') => `tenants/${tenant.slug}/media/${media}/${name}`;
    const rows: Prisma.AuditEventCreateManyInput[] = [
      { createdAt: at('10:00:00.000'), action: 'upload.create', purpose: 'upload', actorUserId: member!.id, objectKeys: [key('AAA')] },
      { createdAt: at('10:00:00.000'), action: 'upload.sign_part', purpose: 'upload', actorUserId: member!.id, objectKeys: [key('AAA')] },
      { createdAt: at('10:00:01.000'), action: 'upload.complete', purpose: 'upload', actorUserId: member!.id, objectKeys: [key('AAA')] },
      {
        createdAt: at('10:05:00.000'),
        action: 'media.link',
        purpose: 'link',
        actorUserId: admin!.id,
        sessionName: 'isola-link-1',
        objectKeys: [key('BBB'), key('BBB', 'poster.jpg')],
        expiresAt: at('10:20:00.000'),
      },
      { createdAt: at('10:10:00.000'), action: 'target.verify', purpose: 'verify', actorKind: 'system', objectKeys: [] },
      {
        createdAt: at('10:20:00.000'),
        action: 'auth.login',
        actorUserId: admin!.id,
        ip: '203.0.113.7',
        userAgent: '=HYPERLINK("http://evil.example","click")',
      },
      {
        createdAt: at('10:30:00.000'),
        action: 'media.link',
        purpose: 'link',
        actorUserId: ids.gone,
        objectKeys: [key('CCC')],
        details: { note: 'renamed to "a, b"', n: 1 },
        correlationId: 'req-7',
      },
    ].map((row) => ({ actorKind: 'user', tenantId: tenant.id, ...row }) as Prisma.AuditEventCreateManyInput);
    // another studio's row inside the same window, naming the same media id: never shown
    rows.push({
      tenantId: other.id,
      actorKind: 'user',
      action: 'media.link',
      purpose: 'link',
      createdAt: at('10:06:00.000'),
      objectKeys: ['x/media/AAA/source'],
    });
    await prisma.auditEvent.createMany({ data: rows });
    expected = (
      await prisma.auditEvent.findMany({
        where: { tenantId: tenant.id },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { id: true, action: true },
      })
    ).map((r) => ({ id: r.id, action: r.action }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('pages through the tenant’s own log newest first, with a stable tie-break, and nothing else', async () => {
    const seen: AuditEventDto[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(
        `/api/tenant/audit?limit=3&from=${WINDOW.from}&to=${WINDOW.to}${cursor ? `&cursor=${cursor}` : ''}`,
        cookies.admin,
      ).expect(200);
      const body = auditListResponseSchema.parse(res.body);
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((e) => ({ id: e.id, action: e.action }))).toEqual(expected);
    expect(JSON.stringify(seen)).not.toContain('x/media/AAA');
  });

  it('answers each row in full, with the actor’s email (null for a deleted user, no actor for the system)', async () => {
    const res = await get(`/api/tenant/audit?from=${WINDOW.from}&to=${WINDOW.to}`, cookies.admin).expect(200);
    const byAction = (action: string) => (res.body.items as AuditEventDto[]).filter((e) => e.action === action);
    const link = byAction('media.link').find((e) => e.sessionName === 'isola-link-1')!;
    expect(auditEventSchema.parse(link)).toEqual({
      id: expect.any(String),
      createdAt: '2025-06-01T10:05:00.000Z',
      action: 'media.link',
      actorKind: 'user',
      actor: { id: ids.admin, email: email.admin },
      purpose: 'link',
      sessionName: 'isola-link-1',
      storageTargetId: null,
      objectKeys: [`tenants/${tenant.slug}/media/BBB/source`, `tenants/${tenant.slug}/media/BBB/poster.jpg`],
      expiresAt: '2025-06-01T10:20:00.000Z',
      ip: null,
      userAgent: null,
      details: null,
      correlationId: null,
    });
    expect(byAction('target.verify')[0]).toMatchObject({ actorKind: 'system', actor: null });
    expect(byAction('media.link').find((e) => e.correlationId === 'req-7')).toMatchObject({
      actor: { id: ids.gone, email: null },
      details: { note: 'renamed to "a, b"', n: 1 },
    });
  });

  it('filters by action (exact or dotted prefix), purpose, actor, time window and object key', async () => {
    const actions = async (query: string) =>
      (
        (await get(`/api/tenant/audit?from=${WINDOW.from}&to=${WINDOW.to}&${query}`, cookies.admin).expect(200)).body
          .items as AuditEventDto[]
      ).map((e) => e.action);
    expect(await actions('action=media.link')).toEqual(['media.link', 'media.link']);
    expect((await actions('action=upload.')).sort()).toEqual(['upload.complete', 'upload.create', 'upload.sign_part']);
    expect(await actions('action=upload')).toEqual([]);
    expect(await actions('purpose=verify')).toEqual(['target.verify']);
    expect(await actions(`actorUserId=${ids.member}`)).toHaveLength(3);
    expect(await actions(`actorUserId=${ids.admin}`)).toEqual(['auth.login', 'media.link']);
    expect(await actions('q=bbb%2FPOSTER')).toEqual(['media.link']);
    expect(await actions('q=AAA')).toHaveLength(3);
    expect(await actions('q=nothing-like-this')).toEqual([]);
    // from inclusive, to exclusive
    const narrow = await get('/api/tenant/audit?from=2025-06-01T10:00:01Z&to=2025-06-01T10:10:00Z', cookies.admin).expect(200);
    expect((narrow.body.items as AuditEventDto[]).map((e) => e.action)).toEqual(['media.link', 'upload.complete']);
  });

  it('refuses bad queries with 400 and everyone but the tenant’s admins', async () => {
    for (const query of [
      'limit=201',
      'limit=0',
      'cursor=junk',
      'purpose=steal',
      'actorUserId=me',
      'from=yesterday',
      `from=${WINDOW.to}&to=${WINDOW.from}`,
    ]) {
      const res = await get(`/api/tenant/audit?${query}`, cookies.admin).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await get('/api/tenant/audit', cookies.member).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await get('/api/tenant/audit', cookies.staff).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await request(app.getHttpServer()).get('/api/tenant/audit/export').expect(401)).body.code).toBe('UNAUTHENTICATED');
    // another studio's admin sees only their own studio's row
    const other = await get(`/api/tenant/audit?from=${WINDOW.from}&to=${WINDOW.to}`, cookies.otherAdmin).expect(200);
    expect((other.body.items as AuditEventDto[]).map((e) => e.objectKeys)).toEqual([['x/media/AAA/source']]);
  });

  it('exports CSV: attachment named after the tenant and day, header row, RFC 4180 quoting, formula guard', async () => {
    const since = new Date();
    const days = [new Date().toISOString().slice(0, 10)];
    const res = await get(`/api/tenant/audit/export?format=csv&from=${WINDOW.from}&to=${WINDOW.to}`, cookies.admin)
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => done(null, text));
      })
      .expect(200);
    days.push(new Date().toISOString().slice(0, 10));
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(days.map((day) => `attachment; filename="isola-audit-${tenant.slug}-${day}.csv"`)).toContain(res.headers['content-disposition']);
    const records = parseCsv(res.body as string);
    expect(records[0]).toEqual([
      'id',
      'createdAt',
      'action',
      'actorKind',
      'actorId',
      'actorEmail',
      'purpose',
      'sessionName',
      'storageTargetId',
      'objectKeys',
      'expiresAt',
      'ip',
      'userAgent',
      'details',
      'correlationId',
    ]);
    const rows = records.slice(1);
    expect(rows.map((r) => r[0])).toEqual(expected.map((e) => e.id));
    const login = rows.find((r) => r[2] === 'auth.login')!;
    expect(login[11]).toBe('203.0.113.7');
    expect(login[12]).toBe('\'=HYPERLINK("http://evil.example","click")');
    const link = rows.find((r) => r[7] === 'isola-link-1')!;
    expect(link[9]).toBe(`tenants/${tenant.slug}/media/BBB/source tenants/${tenant.slug}/media/BBB/poster.jpg`);
    expect(link.slice(4, 6)).toEqual([ids.admin, email.admin]);
    const gone = rows.find((r) => r[14] === 'req-7')!;
    expect(JSON.parse(gone[13]!)).toEqual({ note: 'renamed to "a, b"', n: 1 });
    expect(gone[5]).toBe('');

    // exporting is itself on the record
    const exported = await auditEventsFor(prisma, tenant.id, { since, action: 'audit.exported' });
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({
      actorUserId: ids.admin,
      details: { format: 'csv', filter: { from: '2025-06-01T00:00:00.000Z', to: '2025-06-02T00:00:00.000Z' } },
    });
  });

  it('exports JSON: the same rows as the API pages, filters applied', async () => {
    const res = await get(`/api/tenant/audit/export?format=json&from=${WINDOW.from}&to=${WINDOW.to}&action=upload.`, cookies.admin).expect(
      200,
    );
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="isola-audit-${tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    const page = await get(`/api/tenant/audit?from=${WINDOW.from}&to=${WINDOW.to}&action=upload.`, cookies.admin).expect(200);
    expect(res.body).toEqual(page.body.items);
    expect(res.body).toHaveLength(3);
    // an empty export is still a JSON array
    const empty = await get('/api/tenant/audit/export?format=json&action=nothing.here', cookies.admin).expect(200);
    expect(empty.body).toEqual([]);
    expect((await get('/api/tenant/audit/export?format=xlsx', cookies.admin).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('streams every row of a long log, across its internal batches, in order', async () => {
    const big = await createTenant(prisma);
    const bigAdmin = await createUser(prisma);
    await createMembership(prisma, { userId: bigAdmin.id, tenantId: big.id, role: 'admin' });
    const start = new Date('2025-01-01T00:00:00Z').getTime();
    // 1,234 rows, pairs sharing a timestamp so batch boundaries fall between equal createdAt values
    await prisma.auditEvent.createMany({
      data: Array.from({ length: 1234 }, (_, i) => ({
        tenantId: big.id,
        actorKind: 'system' as const,
        action: 'media.transcode',
        createdAt: new Date(start + Math.floor(i / 2) * 1000),
        objectKeys: [`k/${i}`],
      })),
    });
    const res = await get(`/api/tenant/audit/export?format=csv&to=2025-02-01T00:00:00Z`, await sessionCookieFor(app, bigAdmin.id))
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => done(null, text));
      })
      .expect(200);
    const rows = parseCsv(res.body as string).slice(1);
    expect(rows).toHaveLength(1234);
    expect(new Set(rows.map((r) => r[0])).size).toBe(1234);
    const times = rows.map((r) => Date.parse(r[1]!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
