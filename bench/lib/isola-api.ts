// Shared by the API benchmarks: the Isola API built exactly as production builds it (createApiApp from
// apps/api/dist), in this process, on its own database (isola_bench) and Redis DB 8, listening on a
// free port; a throwaway studio (bucket + role on the local RGW) as a tenant's active isolated target,
// and a member signed in. `close()` removes the tenant's rows, the studio, and stops the API.
import { randomBytes } from 'node:crypto';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { LocalStackAdmin, createTestStudio, loadLocalEnv, type TestStudio } from '../../infra/local/dist/index.js';
import { createPrismaClient } from '../../packages/database/dist/index.js';
import { createMembership, createStorageTarget, createTenant, createUser } from '../../packages/database/dist/seed/index.js';
import { createApiApp } from '../../apps/api/dist/app.factory.js';
import { loadApiConfig } from '../../apps/api/dist/config/env.schema.js';
import { PasswordHasher } from '../../apps/api/dist/modules/auth/password-hasher.js';
import { socketBytesMeter } from './meter.ts';

export { socketBytesMeter };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_DATABASE_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/isola_bench';
export const BENCH_REDIS_URL = process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379/8';
export const WEB_ORIGIN = 'http://localhost:5173';
const PASSWORD = 'bench horse battery staple';

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
export const MIB = 1024 ** 2;

/** The value at quantile q (0..1) of `values` (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Applies the database migrations to the bench database (created when missing). */
export function migrateBenchDatabase(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'packages/database/scripts/migrate.mjs'), 'deploy', '--create-db'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: BENCH_DATABASE_URL },
  });
  if (result.status !== 0) throw new Error(`migrate failed: ${result.stderr.slice(-2000)}`);
}

/** The API's environment for the bench (its own DB, Redis DB, queue prefix; the local stack's principals). */
export function benchApiEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: BENCH_DATABASE_URL,
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: `isola-bench-${randomBytes(4).toString('hex')}`,
    ...overrides,
  };
}

type AnyApp = Awaited<ReturnType<typeof createApiApp>>;
type Prisma = ReturnType<typeof createPrismaClient>;

export interface ApiBench {
  /** The app when it runs in this process (undefined with `process: true`). */
  app: AnyApp | undefined;
  origin: string;
  prisma: Prisma;
  admin: LocalStackAdmin;
  studio: TestStudio;
  tenantId: string;
  target: { id: string; prefix: string; bucket: string; roleArn: string | null };
  cookie: string;
  /** Bytes the API's server read from its sockets between start and stop. */
  meter: { start(): Promise<void>; stop(): Promise<number> };
  close(): Promise<void>;
}

/** Starts bench/lib/api-process.ts and waits for its port. */
async function startApiProcess(overrides: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ...benchApiEnv(overrides) };
  delete childEnv['NODE_OPTIONS'];
  const child = fork(join(ROOT, 'bench/lib/api-process.ts'), [], { env: childEnv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}) before listening`)));
    child.once('message', (message) => resolve((message as { port: number }).port));
  });
  return { child, port };
}

function ask(child: ChildProcess, message: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as Record<string, unknown>));
    child.send(message);
  });
}

/**
 * Opens the bench world. With `process: true` the API runs as a child process (bench/lib/api-process.ts)
 * so the bench's own client work does not share its event loop; otherwise in this process, built by
 * `build` when given (e.g. with an extra module: it must return an initialised, not listening app).
 */
export async function openApiBench(
  label: string,
  options: {
    build?: (config: ReturnType<typeof loadApiConfig>) => Promise<AnyApp>;
    prefix?: string;
    process?: boolean;
    /** Extra API environment (e.g. QUEUE_PREFIX shared with a worker). */
    env?: Record<string, string>;
  } = {},
): Promise<ApiBench> {
  const env = loadLocalEnv();
  const admin = new LocalStackAdmin(env);
  await admin.waitUntilReady(10_000);
  migrateBenchDatabase();
  let app: AnyApp | undefined;
  let child: ChildProcess | undefined;
  let origin: string;
  let meter: ApiBench['meter'];
  if (options.process) {
    const started = await startApiProcess(options.env ?? {});
    child = started.child;
    origin = `http://127.0.0.1:${started.port}`;
    const c = child;
    meter = {
      start: async () => void (await ask(c, 'meter-start')),
      stop: async () => Number((await ask(c, 'meter-stop'))['bytes']),
    };
  } else {
    const config = loadApiConfig(benchApiEnv(options.env ?? {}));
    const inProcess = options.build ? await options.build(config) : await createApiApp(config);
    app = inProcess;
    if (!options.build) await inProcess.init();
    await inProcess.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(inProcess.getHttpServer().address() as AddressInfo).port}`;
    const local = socketBytesMeter(inProcess.getHttpServer());
    meter = { start: async () => local.start(), stop: async () => local.stop() };
  }
  const stopApi = async () => {
    if (app) await app.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.send('close');
      await exited;
    }
  };
  const prisma = createPrismaClient(BENCH_DATABASE_URL);
  const studio = await createTestStudio(admin, { label });
  let tenantId = '';
  let userId = '';
  const cleanup = async () => {
    await stopApi().catch(() => undefined);
    if (userId) await prisma.user.delete({ where: { id: userId } }).catch(() => undefined);
    if (tenantId) await removeTenant(prisma, tenantId);
    await prisma.$disconnect();
    await studio.destroy().catch(() => undefined);
    admin.destroy();
  };
  try {
    const tenant = await createTenant(prisma);
    tenantId = tenant.id;
    const target = await createStorageTarget(
      prisma,
      {
        tenantId: tenant.id,
        mode: 'isolated',
        provider: 's3_compatible',
        endpoint: env.endpoint,
        region: env.region,
        bucket: studio.bucket,
        prefix: options.prefix ?? 'isola',
        roleArn: studio.roleArn,
      },
      { activate: true },
    );
    const passwordHash = await new PasswordHasher().hash(PASSWORD);
    const user = await createUser(prisma, { passwordHash });
    userId = user.id;
    await createMembership(prisma, { userId: user.id, tenantId: tenant.id, role: 'member' });
    const res = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: WEB_ORIGIN },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return {
      app,
      origin,
      prisma,
      admin,
      studio,
      tenantId,
      target: { id: target.id, prefix: target.prefix, bucket: studio.bucket, roleArn: studio.roleArn },
      cookie,
      meter,
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Deletes a bench tenant and what hangs off it (only its own rows). */
export async function removeTenant(prisma: Prisma, tenantId: string): Promise<void> {
  await prisma.rendition.deleteMany({ where: { media: { tenantId } } }).catch(() => undefined);
  await prisma.media.deleteMany({ where: { tenantId } }).catch(() => undefined);
  await prisma.tenant.update({ where: { id: tenantId }, data: { activeTargetId: null } }).catch(() => undefined);
  await prisma.tenant
    .delete({ where: { id: tenantId } })
    .catch((error: unknown) => log(`could not delete tenant ${tenantId}: ${String(error)}`));
}

/** Calls the API as the bench's signed-in member (JSON, same-origin `Origin`). */
export function callApi(bench: ApiBench, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${bench.origin}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', origin: WEB_ORIGIN, cookie: bench.cookie, ...(init.headers ?? {}) },
  });
}

/** Uploads `bytes` through the Uppy-compatible routes (create, sign + PUT each part in turn, complete); returns the media id. */
export async function uploadThroughIsola(
  bench: ApiBench,
  bytes: Uint8Array,
  file: { filename: string; type: string; partBytes?: number },
): Promise<string> {
  const partBytes = file.partBytes ?? 8 * MIB;
  const created = await callApi(bench, '/api/s3/multipart', {
    method: 'POST',
    body: JSON.stringify({ filename: file.filename, type: file.type, metadata: { size: bytes.length } }),
  });
  if (created.status !== 200) throw new Error(`create answered ${created.status}: ${await created.text()}`);
  const { uploadId, key, mediaId } = (await created.json()) as { uploadId: string; key: string; mediaId: string };
  const q = `key=${encodeURIComponent(key)}`;
  const id = encodeURIComponent(uploadId);
  const parts: { PartNumber: number; ETag: string }[] = [];
  for (let n = 1; (n - 1) * partBytes < bytes.length; n += 1) {
    const signed = await callApi(bench, `/api/s3/multipart/${id}/${n}?${q}`);
    if (signed.status !== 200) throw new Error(`sign answered ${signed.status}: ${await signed.text()}`);
    const { url, headers } = (await signed.json()) as { url: string; headers: Record<string, string> };
    const put = await fetch(url, { method: 'PUT', headers, body: bytes.subarray((n - 1) * partBytes, n * partBytes) });
    if (!put.ok) throw new Error(`part PUT answered ${put.status}: ${await put.text()}`);
    parts.push({ PartNumber: n, ETag: put.headers.get('etag') ?? '' });
  }
  const done = await callApi(bench, `/api/s3/multipart/${id}/complete?${q}`, { method: 'POST', body: JSON.stringify({ parts }) });
  if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${await done.text()}`);
  await done.arrayBuffer();
  return mediaId;
}
