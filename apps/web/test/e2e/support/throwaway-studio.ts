// A throwaway studio for the admin console's browser test: its tenant, admin and hosted target in the e2e stack's
// database, and its own isolated bucket and role in the local RGW (createTestStudio), with the stack's web origin
// in the bucket's CORS. Nothing of the demo studios is touched.
import { fileURLToPath } from 'node:url';
import type { DevStackInfo } from './dev-stack';

// apps/web does not depend on @isola/database or @isola/local-stack (this task makes no dependency changes):
// their built entry points are loaded at run time, by path, once scripts/dev.sh has built them — and typed
// here with just what this file uses, so type-checking the web app never needs them built.
const root = fileURLToPath(new URL('../../../../../', import.meta.url));

interface Row {
  id: string;
}
type Db = {
  user: { findUniqueOrThrow(args: { where: { email: string } }): Promise<{ passwordHash: string }> };
  $disconnect(): Promise<void>;
};
interface DatabaseModule {
  createPrismaClient(databaseUrl: string): Db;
}
interface SeedModule {
  createTenant(db: Db, data: { slug: string; name: string }): Promise<Row>;
  createUser(db: Db, data: { email: string; displayName: string; passwordHash: string }): Promise<Row>;
  createMembership(db: Db, data: { tenantId: string; userId: string; role: 'admin' | 'member' }): Promise<Row>;
  createStorageTarget(db: Db, data: Record<string, string>, opts: { activate: boolean }): Promise<Row>;
}
export interface TestStudio {
  readonly bucket: string;
  readonly roleName: string;
  readonly roleArn: string;
  destroy(): Promise<void>;
}
export interface LocalStackAdmin {
  deleteRole(roleName: string): Promise<void>;
}
interface LocalEnv {
  endpoint: string;
  region: string;
}
interface LocalStackModule {
  loadLocalEnv(options: { overrides: Record<string, string | undefined> }): LocalEnv;
  LocalStackAdmin: new (env: LocalEnv) => LocalStackAdmin;
  createTestStudio(admin: LocalStackAdmin, options: { label: string }): Promise<TestStudio>;
  roleArn(roleName: string): string;
}

async function load<T>(path: string): Promise<T> {
  return (await import(/* @vite-ignore */ `${root}${path}`)) as T;
}

export interface ThrowawayStudio {
  readonly slug: string;
  readonly name: string;
  /** Signs in with the stack's demo password. */
  readonly adminEmail: string;
  readonly hostedTargetId: string;
  /** The studio's own bucket and role (not yet known to Isola: the test adds it through the UI). */
  readonly isolated: TestStudio;
  readonly admin: LocalStackAdmin;
  readonly region: string;
  readonly endpoint: string;
  cleanup(): Promise<void>;
}

/** `stamp` keeps names unique per run. */
export async function createThrowawayStudio(stack: DevStackInfo, stamp: string): Promise<ThrowawayStudio> {
  const [{ createPrismaClient }, seed, local] = await Promise.all([
    load<DatabaseModule>('packages/database/dist/index.js'),
    load<SeedModule>('packages/database/dist/seed/index.js'),
    load<LocalStackModule>('infra/local/dist/index.js'),
  ]);
  const { createMembership, createStorageTarget, createTenant, createUser } = seed;
  const { createTestStudio, LocalStackAdmin, loadLocalEnv, roleArn } = local;
  const env = loadLocalEnv({ overrides: { ...process.env, WEB_ORIGINS: stack.webUrl } });
  const admin = new LocalStackAdmin(env);
  const isolated = await createTestStudio(admin, { label: `web-admin-${stamp}` });
  const prisma = createPrismaClient(stack.databaseUrl);
  try {
    const slug = `e2e-admin-${stamp}`;
    const name = `Throwaway Studio ${stamp}`;
    const adminEmail = `admin@${slug}.test`;
    // The demo users' argon2 hash of the stack's password: this admin signs in with the same one.
    const demo = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@aurora.test' } });
    const tenant = await createTenant(prisma, { slug, name });
    const user = await createUser(prisma, { email: adminEmail, displayName: 'Throwaway Admin', passwordHash: demo.passwordHash });
    await createMembership(prisma, { tenantId: tenant.id, userId: user.id, role: 'admin' });
    const hosted = await createStorageTarget(
      prisma,
      {
        tenantId: tenant.id,
        mode: 'hosted',
        provider: 's3_compatible',
        endpoint: env.endpoint,
        region: env.region,
        bucket: stack.hostedBucket,
        prefix: `tenants/${slug}`,
        roleArn: roleArn(stack.hostedRoleName),
      },
      { activate: true },
    );
    return {
      slug,
      name,
      adminEmail,
      hostedTargetId: hosted.id,
      isolated,
      admin,
      region: env.region,
      endpoint: env.endpoint,
      cleanup: () => isolated.destroy(),
    };
  } catch (error) {
    await isolated.destroy().catch(() => undefined);
    throw error;
  } finally {
    await prisma.$disconnect();
  }
}

/** A signed-in API session from Node (the API's CSRF check wants the web app's Origin on state changes). */
export async function apiSession(stack: DevStackInfo, email: string) {
  const origin = stack.webUrl;
  const login = await fetch(`${stack.apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: stack.password }),
  });
  if (login.status !== 200) throw new Error(`sign-in as ${email} answered ${login.status}: ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { origin, cookie, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
}

/**
 * Uploads `bytes` as one file the way the web app does (Isola's multipart routes; the part goes to the bucket
 * with its presigned URL), and returns the media id.
 */
export async function uploadThroughApi(api: Awaited<ReturnType<typeof apiSession>>, filename: string, bytes: Buffer): Promise<string> {
  const created = await api<{ uploadId: string; key: string; mediaId: string }>('/s3/multipart', {
    method: 'POST',
    body: { filename, type: 'application/octet-stream', metadata: { size: bytes.length } },
  });
  const query = `?key=${encodeURIComponent(created.key)}`;
  const part = await api<{ url: string; headers: Record<string, string> }>(`/s3/multipart/${created.uploadId}/1${query}`);
  const put = await fetch(part.url, { method: 'PUT', headers: part.headers, body: new Uint8Array(bytes) });
  if (put.status !== 200) throw new Error(`part PUT answered ${put.status}: ${await put.text()}`);
  const etag = put.headers.get('etag');
  if (!etag) throw new Error('the bucket sent no ETag for the part');
  await api(`/s3/multipart/${created.uploadId}/complete${query}`, { method: 'POST', body: { parts: [{ PartNumber: 1, ETag: etag }] } });
  return created.mediaId;
}
