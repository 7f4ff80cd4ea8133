import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { healthResponseSchema } from '@isola/contracts';
import { createPrismaClient } from '@isola/database';

/**
 * The README's run command, end to end: `scripts/dev.sh --detach` brings up the local RGW, migrates
 * and seeds, starts API, worker and web, and `scripts/dev.sh stop` stops them. It runs on its own
 * ports, database and state folder, so a developer's running stack is not disturbed.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const API_PORT = '3190';
const WEB_PORT = '5190';
const DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/isola_e2e';

describe('scripts/dev.sh (the README run command)', () => {
  const state = mkdtempSync(join(tmpdir(), 'isola-e2e-'));
  const env = { ...process.env, API_PORT, WEB_PORT, DATABASE_URL, ISOLA_DEV_STATE: state };
  let output = '';

  beforeAll(async () => {
    const result = await run('bash', ['scripts/dev.sh', '--detach'], { cwd: root, env, timeout: 300_000, maxBuffer: 10 * 1024 * 1024 });
    output = result.stdout;
  }, 320_000);

  afterAll(async () => {
    await run('bash', ['scripts/dev.sh', 'stop'], { cwd: root, env, timeout: 60_000 });
    rmSync(state, { recursive: true, force: true });
  });

  it('prints the URLs and the demo logins', () => {
    expect(output).toContain('Isola is running.');
    expect(output).toContain(`http://localhost:${WEB_PORT}`);
    expect(output).toContain('admin@aurora.test');
    expect(output).toContain('support@isola.test');
  });

  it('serves the API with every dependency up', async () => {
    const res = await fetch(`http://127.0.0.1:${API_PORT}/api/health`);
    expect(res.status).toBe(200);
    const health = healthResponseSchema.parse(await res.json());
    expect(Object.values(health.checks).map((c) => c.status)).toEqual(['up', 'up', 'up', 'up']);
  });

  it('serves the web app and proxies /api to the API on the same origin', async () => {
    const page = await fetch(`http://localhost:${WEB_PORT}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    const proxied = await fetch(`http://localhost:${WEB_PORT}/api/health`);
    expect(proxied.status).toBe(200);
    expect(((await proxied.json()) as { status: string }).status).toBe('ok');
  });

  it('runs the worker', () => {
    const pid = Number(readFileSync(join(state, 'run', 'worker.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(readFileSync(join(state, 'logs', 'worker.log'), 'utf8')).toContain('Isola worker ready');
  });

  it('seeded the demo tenants with active storage targets, and their users', async () => {
    const prisma = createPrismaClient(DATABASE_URL);
    try {
      const tenants = await prisma.tenant.findMany({ orderBy: { slug: 'asc' }, include: { activeTarget: true } });
      expect(tenants.map((t) => [t.slug, t.activeTarget?.mode, t.activeTarget?.status])).toEqual([
        ['aurora', 'isolated', 'active'],
        ['harbor', 'hosted', 'active'],
      ]);
      const emails = (await prisma.user.findMany({ select: { email: true } })).map((u) => u.email).sort();
      expect(emails).toEqual(['admin@aurora.test', 'admin@harbor.test', 'member@aurora.test', 'member@harbor.test', 'support@isola.test']);
    } finally {
      await prisma.$disconnect();
    }
  });
});
