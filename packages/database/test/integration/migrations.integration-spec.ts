// The migration files apply cleanly to an empty database through scripts/migrate.mjs, produce the
// expected tables and constraints, and the demo seed is idempotent on top of them.
import pg from 'pg';
import { createPrismaClient, sqlPoolOf, type PrismaClient } from '../../src/index.js';
import { createMedia, createStorageTarget, createTenant, seedDemo } from '../../src/seed/index.js';
import { createDatabase, dropDatabase, runScript, scratchDatabaseName } from './support/scratch-database.js';

const EXPECTED_TABLES = [
  '_prisma_migrations',
  'audit_events',
  'media',
  'memberships',
  'multipart_uploads',
  'notices',
  'outbox_messages',
  'platform_staff',
  'renditions',
  'sessions',
  'storage_migration_items',
  'storage_migrations',
  'storage_targets',
  'support_grants',
  'tenants',
  'transcode_grants',
  'users',
];

const EXPECTED_ENUMS = [
  'audit_actor_kind',
  'media_kind',
  'media_status',
  'membership_role',
  'migration_item_status',
  'migration_status',
  'multipart_upload_status',
  'rendition_kind',
  'staff_role',
  'storage_mode',
  'storage_provider',
  'storage_target_status',
];

const local = {
  hostedBucket: 'isola-hosted',
  hostedRoleArn: 'arn:aws:iam:::role/isola-hosted',
  isolatedBucket: 'aurora-media',
  isolatedRoleArn: 'arn:aws:iam:::role/aurora-isola',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
};
const hashPassword = (password: string) => `plain:${password}`;

describe('migrations (scripts/migrate.mjs against an empty database)', () => {
  const dbName = scratchDatabaseName('migrations');
  let url: string;
  let sql: pg.Client;
  let prisma: PrismaClient;

  beforeAll(async () => {
    url = await createDatabase(dbName);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await sql?.end();
    await dropDatabase(dbName);
  });

  it('deploy applies every migration to the empty database', async () => {
    const run = await runScript('migrate.mjs', ['deploy'], { DATABASE_URL: url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Applied \d+ migration\(s\): \d{14}_init/);

    sql = new pg.Client({ connectionString: url });
    await sql.connect();
    prisma = createPrismaClient(url, { poolSize: 2 });
  });

  it('creates the expected tables and enum types', async () => {
    const tables = await sql.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);

    const enums = await sql.query<{ typname: string }>(
      `select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = 'public' and t.typtype = 'e' order by t.typname`,
    );
    expect(enums.rows.map((r) => r.typname)).toEqual(EXPECTED_ENUMS);

    const mediaColumns = await sql.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns where table_name = 'media'`,
    );
    const types = Object.fromEntries(mediaColumns.rows.map((r) => [r.column_name, r.data_type]));
    expect(types).toMatchObject({
      id: 'uuid',
      tenant_id: 'uuid',
      storage_target_id: 'uuid',
      size_bytes: 'bigint',
      sha256_verified: 'text',
      created_at: 'timestamp with time zone',
    });
  });

  it('status reports the database up to date, and deploy again is a no-op', async () => {
    const status = await runScript('migrate.mjs', ['status'], { DATABASE_URL: url });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Database schema is up to date.');

    const again = await runScript('migrate.mjs', ['deploy'], { DATABASE_URL: url });
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('No pending migrations to apply.');
  });

  it('the migrations match schema.prisma (diff is empty)', async () => {
    const diff = await runScript('migrate.mjs', ['diff'], { DATABASE_URL: url });
    expect(diff.code).toBe(0);
    expect(diff.stdout.trim()).toBe('-- This is an empty migration.');
  });

  it('seedDemo is idempotent: same rows, ids and ExternalIds on a second run', async () => {
    const first = await seedDemo(prisma, { hashPassword, password: 'demo-pass', local });
    const countsAfterFirst = await countRows(sql);
    const targetsAfterFirst = await prisma.storageTarget.findMany({ orderBy: { id: 'asc' } });

    const second = await seedDemo(prisma, { hashPassword, password: 'demo-pass', local });
    expect(await countRows(sql)).toEqual(countsAfterFirst);
    expect(second).toEqual(first);
    const targetsAfterSecond = await prisma.storageTarget.findMany({ orderBy: { id: 'asc' } });
    expect(targetsAfterSecond.map((t) => [t.id, t.externalId])).toEqual(targetsAfterFirst.map((t) => [t.id, t.externalId]));

    expect(countsAfterFirst).toMatchObject({ tenants: 2, storage_targets: 2, users: 5, memberships: 4, platform_staff: 1 });
  });

  it('seedDemo builds the documented demo tenants and users', async () => {
    const aurora = await prisma.tenant.findUniqueOrThrow({ where: { slug: 'aurora' }, include: { activeTarget: true } });
    expect(aurora.name).toBe('Aurora Pictures');
    expect(aurora.activeTarget).toMatchObject({
      mode: 'isolated',
      provider: 's3_compatible',
      bucket: 'aurora-media',
      prefix: '',
      roleArn: local.isolatedRoleArn,
      endpoint: local.endpoint,
      region: local.region,
      status: 'active',
      tenantId: aurora.id,
    });
    expect(aurora.activeTarget?.externalId).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const harbor = await prisma.tenant.findUniqueOrThrow({ where: { slug: 'harbor' }, include: { activeTarget: true } });
    expect(harbor.name).toBe('Harbor Post');
    expect(harbor.activeTarget).toMatchObject({
      mode: 'hosted',
      bucket: 'isola-hosted',
      prefix: 'tenants/harbor',
      roleArn: local.hostedRoleArn,
      status: 'active',
    });

    const memberships = await prisma.membership.findMany({ include: { user: true, tenant: true } });
    expect(memberships.map((m) => `${m.user.email}:${m.tenant.slug}:${m.role}`).sort()).toEqual([
      'admin@aurora.test:aurora:admin',
      'admin@harbor.test:harbor:admin',
      'member@aurora.test:aurora:member',
      'member@harbor.test:harbor:member',
    ]);
    const staff = await prisma.platformStaff.findMany({ include: { user: true } });
    expect(staff.map((s) => [s.user.email, s.role])).toEqual([['support@isola.test', 'support']]);
    const users = await prisma.user.findMany();
    expect(new Set(users.map((u) => u.passwordHash))).toEqual(new Set(['plain:demo-pass']));
  });

  it('re-seeding with another password updates the hashes', async () => {
    await seedDemo(prisma, { hashPassword, password: 'changed', local });
    const hashes = await prisma.user.findMany({ select: { passwordHash: true } });
    expect(new Set(hashes.map((u) => u.passwordHash))).toEqual(new Set(['plain:changed']));
  });

  it("refuses a media row pointing at another tenant's storage target", async () => {
    const other = await createStorageTarget(prisma);
    const tenant = await createTenant(prisma);
    await expect(createMedia(prisma, { tenantId: tenant.id, storageTargetId: other.id })).resolves.toMatchObject({
      tenantId: other.tenantId, // the factory follows the target's tenant…
    });
    // …while a hand-written row that mixes tenants is refused by the composite foreign key.
    await expect(
      prisma.media.create({
        data: {
          tenantId: tenant.id,
          storageTargetId: other.id,
          objectKey: 'x',
          filename: 'x.mp4',
          sizeBytes: 1n,
          contentType: 'video/mp4',
        },
      }),
    ).rejects.toThrow(/Foreign key constraint/i);
  });

  it("sqlPoolOf is the client's own pool: plain SQL sees Prisma's writes, and $disconnect ends it", async () => {
    const media = await createMedia(prisma);
    const pool = sqlPoolOf(prisma);
    expect(pool).toBeDefined();
    const { rows } = await pool!.query<{ filename: string }>({
      name: 'test-media-filename',
      text: 'SELECT filename FROM media WHERE id = $1::uuid',
      values: [media.id],
    });
    expect(rows).toEqual([{ filename: media.filename }]);
    expect(pool!.options.max).toBe(2); // the limits given to createPrismaClient

    const other = createPrismaClient(url, { poolSize: 1 });
    const otherPool = sqlPoolOf(other)!;
    expect(otherPool).not.toBe(pool);
    await otherPool.query('SELECT 1');
    await other.$disconnect();
    expect(otherPool.ending).toBe(true);
  });

  it('enforces the CHECK constraints and keeps targets that still hold media', async () => {
    const media = await createMedia(prisma);
    await expect(prisma.media.update({ where: { id: media.id }, data: { progress: 101 } })).rejects.toThrow(/media_progress_check/);
    await expect(prisma.storageTarget.delete({ where: { id: media.storageTargetId } })).rejects.toThrow();
    // Deleting the tenant removes its media and targets together.
    await prisma.tenant.delete({ where: { id: media.tenantId } });
    expect(await prisma.media.count({ where: { id: media.id } })).toBe(0);
    expect(await prisma.storageTarget.count({ where: { id: media.storageTargetId } })).toBe(0);
  });
});

async function countRows(sql: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of EXPECTED_TABLES.filter((t) => !t.startsWith('_'))) {
    const res = await sql.query<{ n: string }>(`select count(*) as n from "${table}"`);
    counts[table] = Number(res.rows[0]?.n);
  }
  return counts;
}
