import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { expressRoutes, listHttpRoutes, type HttpRoute } from '../support/route-table.js';
import { sessionCookieFor } from '../support/sessions.js';
import { startTestApi, WEB_ORIGIN } from '../support/test-app.js';
import { createTwoTenantWorld, paramValue, type Caller, type TenantKey, type TwoTenantWorld } from '../support/two-tenant-world.js';

/**
 * Issue 4 acceptance / issue 8 security: EVERY route Nest serves × every kind of caller × rows of the
 * caller's own studio and of another studio. The expected outcome of each cell is derived from the
 * route's @Access rules alone, so routes added later are checked without editing this file:
 *
 *   not admitted by @Access     → 401 UNAUTHENTICATED (anonymous) / 403 FORBIDDEN (signed in)
 *   admitted, own studio        → never refused by the guard (storage-less fixtures may give 4xx/5xx)
 *   admitted, another studio's id in the path → 400/403/404/422, never 2xx, 409 or 5xx
 *   any answer                  → carries no id, key or name of a studio the caller is not in (staff
 *                                 may see studio ids and slugs), and no credential or presigned URL
 *                                 unless the caller is the studio's own (or staff under A's live grant)
 *   support staff on /api/s3/* and /api/media/* of the isolated studio (or with no studio) → 403
 *
 * Each failing rule prints the whole matrix, one line per request, with the observed status and code.
 */

type Relation = 'anonymous' | 'own' | 'other-tenant' | 'staff';

interface Cell {
  route: HttpRoute;
  caller: Caller;
  /** Whose rows the path names; null for routes without path parameters. */
  resources: TenantKey | null;
  relation: Relation;
  admitted: boolean;
  url: string;
  unknownParams: string[];
  /** 0 when the request got no answer in time. */
  status: number;
  code: string | null;
  leaks: string[];
  ms: number;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const METHOD_ORDER: Record<string, number> = { GET: 0, HEAD: 0, OPTIONS: 0, POST: 1, PUT: 1, PATCH: 1, DELETE: 2 };
const GUARD_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_REJECTED']);
const CREDENTIAL_MARKERS = [/x-amz-signature/i, /x-amz-credential/i, /x-amz-security-token/i, /sessiontoken/i, /secretaccesskey/i];
const MEDIA_OR_UPLOAD = /^\/api\/(s3|media)(\/|$)/;

/**
 * Bodies that pass validation on routes known today, so requests get past it to the row lookup (an
 * outsider must then meet a 404, not a 400). Other routes get `{}`: still checked, less deeply.
 */
const PLAUSIBLE_BODIES: Record<string, object> = {
  'PATCH /api/media/:id': { filename: 'renamed-by-the-matrix.mp4' },
  'POST /api/s3/multipart': { filename: 'matrix.mp4', type: 'video/mp4', metadata: { size: '1024' } },
  'POST /api/s3/multipart/:uploadId/complete': { parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }] },
  'POST /api/tenant/support-grants': { durationMinutes: 30, reason: 'authorization matrix' },
};

function relationOf(caller: Caller, resources: TenantKey | null): Relation {
  if (caller.userId === null) return 'anonymous';
  if (caller.staff) return 'staff';
  return resources === null || resources === caller.tenant ? 'own' : 'other-tenant';
}

/** Who runs first on a route: outsiders before the owners, whose requests may change the rows (DELETE). */
function callerOrder(caller: Caller, resources: TenantKey | null): number {
  const relation = relationOf(caller, resources);
  return { anonymous: 0, staff: 1, 'other-tenant': 2, own: 3 }[relation];
}

function fillPath(path: string, world: TwoTenantWorld, resources: TenantKey | null): { url: string; unknown: string[] } {
  const unknown: string[] = [];
  const segments = path.split('/').map((segment, i, all) => {
    const param = /^[:*](\w+)/.exec(segment)?.[1];
    if (!param || resources === null) return segment;
    const { value, known } = paramValue(world.studios[resources], param, all[i - 1] ?? '');
    if (!known) unknown.push(param);
    return encodeURIComponent(value);
  });
  const query = resources === null ? '' : `?key=${encodeURIComponent(world.studios[resources].media.objectKey)}`;
  return { url: segments.join('/') + query, unknown };
}

/** Markers the caller must never see in an answer. */
function forbiddenMarkers(world: TwoTenantWorld, caller: Caller, resources: TenantKey | null): Array<[RegExp | string, string]> {
  const markers: Array<[RegExp | string, string]> = [];
  for (const studio of Object.values(world.studios)) {
    if (caller.tenant === studio.key) continue;
    for (const [value, label] of studio.secrets) markers.push([value, label]);
    if (!caller.staff) for (const [value, label] of studio.identity) markers.push([value, label]);
  }
  const ownStudio = caller.tenant !== null && (resources === null || resources === caller.tenant);
  const underGrant = caller.staff && resources === 'A';
  if (!ownStudio && !underGrant) for (const re of CREDENTIAL_MARKERS) markers.push([re, `credential (${re.source})`]);
  return markers;
}

async function runCell(
  app: INestApplication,
  world: TwoTenantWorld,
  route: HttpRoute,
  caller: Caller,
  resources: TenantKey | null,
): Promise<Cell> {
  const { url, unknown } = fillPath(route.path, world, resources);
  const method = route.method === 'ALL' ? 'GET' : route.method;
  const agent = request(app.getHttpServer());
  let req = (agent[method.toLowerCase() as 'get'] as (u: string) => request.Test)(url)
    .set('origin', WEB_ORIGIN)
    .timeout({ response: 15_000, deadline: 20_000 });
  // a fresh session per request: a route that signs out must not sign out the next request
  if (caller.userId) req = req.set('cookie', await sessionCookieFor(app, caller.userId));
  if (!SAFE.has(method)) req = req.send(PLAUSIBLE_BODIES[`${route.method} ${route.path}`] ?? {});
  const started = performance.now();
  const res = await req.then(
    (r) => r,
    () => null,
  );
  const text = res ? `${res.text ?? ''} ${String(res.headers['location'] ?? '')}` : '';
  const leaks = forbiddenMarkers(world, caller, resources)
    .filter(([marker]) => (typeof marker === 'string' ? text.includes(marker) : marker.test(text)))
    .map(([, label]) => label);
  const body = res?.body as { code?: unknown } | undefined;
  return {
    route,
    caller,
    resources,
    relation: relationOf(caller, resources),
    admitted: route.rules.some((rule) => caller.satisfies.has(rule)),
    url,
    unknownParams: unknown,
    status: res?.status ?? 0,
    code: typeof body?.code === 'string' ? body.code : null,
    leaks,
    ms: Math.round(performance.now() - started),
  };
}

function expectation(cell: Cell): string {
  if (!cell.admitted) return cell.relation === 'anonymous' ? '401' : '403';
  if (cell.caller.staff && MEDIA_OR_UPLOAD.test(cell.route.path) && cell.resources !== 'A') return '403 (isolated)';
  if (cell.relation === 'other-tenant') return '400/403/404';
  return 'admitted';
}

function formatTable(cells: Cell[]): string {
  const rows = cells.map((c) => [
    `${c.route.method} ${c.route.path}`,
    `[${c.route.rules.join('|')}]`,
    c.resources ? `rows of ${c.resources}` : '-',
    c.caller.name,
    `want ${expectation(c)}`,
    `got ${c.status || 'no answer'} ${c.code ?? ''}`.trim(),
    `${c.ms} ms`,
    [c.unknownParams.length ? `unknown params: ${c.unknownParams.join(',')}` : '', c.leaks.length ? `LEAKED: ${c.leaks.join(', ')}` : '']
      .filter(Boolean)
      .join('; '),
  ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]!.length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((v, i) => v.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

describe('authorization matrix: every route × every role × own/other studio (issue 4, issue 8)', () => {
  let app: INestApplication;
  let world: TwoTenantWorld;
  let routes: HttpRoute[];
  const cells: Cell[] = [];

  beforeAll(async () => {
    app = await startTestApi({ LOG_LEVEL: 'fatal' });
    world = await createTwoTenantWorld(app);
    routes = listHttpRoutes(app).sort(
      (a, b) =>
        Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout') ||
        (METHOD_ORDER[a.method] ?? 1) - (METHOD_ORDER[b.method] ?? 1) ||
        a.path.localeCompare(b.path),
    );
    for (const route of routes) {
      const resourceSets: Array<TenantKey | null> = /\/[:*]/.test(route.path) ? ['B', 'A'] : [null];
      for (const resources of resourceSets) {
        const callers = [...world.callers].sort((a, b) => callerOrder(a, resources) - callerOrder(b, resources));
        for (const caller of callers) cells.push(await runCell(app, world, route, caller, resources));
      }
    }
    // PRINT_AUTHZ_MATRIX=1 prints the whole matrix even when it passes
    if (process.env['PRINT_AUTHZ_MATRIX']) console.log(`${routes.length} routes, ${cells.length} requests\n${formatTable(cells)}`);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Fails with the offending cells and then the whole matrix. */
  function expectNoFailures(rule: string, failing: Cell[]): void {
    if (failing.length === 0) return;
    throw new Error(
      `${failing.length} request(s) broke the rule "${rule}":\n${formatTable(failing)}\n\n` +
        `The whole matrix (${routes.length} routes, ${cells.length} requests):\n${formatTable(cells)}`,
    );
  }

  it('covers every route Express serves, each with declared @Access rules, for all seven callers', () => {
    const served = expressRoutes(app)
      .filter((r) => r.includes(' /api/'))
      .sort();
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(served);
    expect(routes.filter((r) => r.rules.length === 0).map((r) => r.handler)).toEqual([]);
    expect(world.callers.map((c) => c.name)).toEqual(['anonymous', 'memberA', 'adminA', 'memberB', 'adminB', 'support', 'staffAdmin']);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) {
      const expectedCells = world.callers.length * (/\/[:*]/.test(route.path) ? 2 : 1);
      expect(cells.filter((c) => c.route === route)).toHaveLength(expectedCells);
    }
  });

  it('answers 401 to anonymous callers and 403 to signed-in callers whose role the route does not admit', () => {
    expectNoFailures(
      'not admitted → 401 UNAUTHENTICATED / 403 FORBIDDEN',
      cells.filter(
        (c) =>
          !c.admitted &&
          !(c.relation === 'anonymous' ? c.status === 401 && c.code === 'UNAUTHENTICATED' : c.status === 403 && c.code === 'FORBIDDEN'),
      ),
    );
  });

  it('never turns away a caller the route admits, on the caller’s own studio (no 401, no guard 403)', () => {
    expectNoFailures(
      'admitted → not refused by the guard, answered',
      cells.filter(
        (c) =>
          c.admitted &&
          c.relation !== 'other-tenant' &&
          (c.status === 0 || c.status === 401 || (c.status === 403 && GUARD_CODES.has(c.code ?? '')) || c.code === 'CSRF_REJECTED') &&
          expectation(c) === 'admitted',
      ),
    );
  });

  it('answers another studio’s ids with 400/403/404 — never 2xx, 409 or 5xx', () => {
    expectNoFailures(
      'admitted but rows of another studio → 400/403/404/422',
      cells.filter((c) => c.admitted && c.relation === 'other-tenant' && ![400, 403, 404, 422].includes(c.status)),
    );
  });

  it('leaks no other studio’s ids, keys or emails, and hands credentials or links to nobody but the studio', () => {
    expectNoFailures(
      'no answer carries another studio’s data or a credential',
      cells.filter((c) => c.leaks.length > 0),
    );
  });

  it('gives support staff 403 on every upload and media route of the isolated studio (whatever exists today)', () => {
    const staffOnMedia = cells.filter((c) => c.caller.staff && MEDIA_OR_UPLOAD.test(c.route.path) && c.resources !== 'A');
    expectNoFailures(
      'staff on /api/s3/* and /api/media/* of an isolated studio → 403',
      staffOnMedia.filter((c) => c.status !== 403),
    );
  });
});
