// The demo data set: two studios (one per storage mode), their admins and members, and a support
// engineer. Idempotent: run it as often as you like; ExternalIds are generated once and kept.
import { generateExternalId } from '../external-id.js';
import type { MembershipRole, PrismaClient, StorageMode } from '../generated/prisma/client.js';

export interface DemoLocalStorage {
  /** The platform's hosted bucket (Harbor's media live under `tenants/harbor`). */
  hostedBucket: string;
  /** Role the platform assumes for hosted tenants. */
  hostedRoleArn: string;
  /** Aurora's own bucket. */
  isolatedBucket: string;
  /** Role in Aurora's account that trusts the platform. */
  isolatedRoleArn: string;
  /** S3-compatible endpoint of the local stack, e.g. http://127.0.0.1:7480. */
  endpoint: string;
  region: string;
}

export interface SeedDemoOptions {
  /** Hashes the demo password (the API passes argon2id); called once per run. */
  hashPassword: (password: string) => string | Promise<string>;
  /** The demo users' password (DEMO_PASSWORD). Re-seeding with another one updates it. */
  password: string;
  local: DemoLocalStorage;
}

export interface DemoSeedResult {
  tenants: Array<{ id: string; slug: string; name: string; mode: StorageMode; activeTargetId: string }>;
  users: Array<{ id: string; email: string; tenantSlug: string | null; role: MembershipRole | 'support' }>;
}

interface DemoTenantSpec {
  slug: string;
  name: string;
  mode: StorageMode;
  target: (local: DemoLocalStorage) => { bucket: string; prefix: string; roleArn: string };
}

const DEMO_TENANTS: readonly DemoTenantSpec[] = [
  {
    slug: 'aurora',
    name: 'Aurora Pictures',
    mode: 'isolated',
    target: (l) => ({ bucket: l.isolatedBucket, prefix: '', roleArn: l.isolatedRoleArn }),
  },
  {
    slug: 'harbor',
    name: 'Harbor Post',
    mode: 'hosted',
    target: (l) => ({ bucket: l.hostedBucket, prefix: 'tenants/harbor', roleArn: l.hostedRoleArn }),
  },
];

const DEMO_STAFF_EMAIL = 'support@isola.test';

export async function seedDemo(prisma: PrismaClient, opts: SeedDemoOptions): Promise<DemoSeedResult> {
  const passwordHash = await opts.hashPassword(opts.password);
  const result: DemoSeedResult = { tenants: [], users: [] };

  for (const spec of DEMO_TENANTS) {
    const target = { ...spec.target(opts.local), endpoint: opts.local.endpoint, region: opts.local.region };
    const tenant = await prisma.$transaction(async (tx) => {
      const t = await tx.tenant.upsert({
        where: { slug: spec.slug },
        create: { slug: spec.slug, name: spec.name },
        update: { name: spec.name },
      });
      // The demo target is the tenant's active one (or, before activation, its oldest of that mode):
      // update it in place so its id and ExternalId survive re-seeding.
      const existing = t.activeTargetId
        ? await tx.storageTarget.findUnique({ where: { id: t.activeTargetId } })
        : await tx.storageTarget.findFirst({ where: { tenantId: t.id, mode: spec.mode }, orderBy: { createdAt: 'asc' } });
      const fields = { mode: spec.mode, provider: 's3_compatible' as const, status: 'active' as const, ...target };
      const st = existing
        ? await tx.storageTarget.update({ where: { id: existing.id }, data: fields })
        : await tx.storageTarget.create({ data: { ...fields, tenantId: t.id, externalId: generateExternalId() } });
      return tx.tenant.update({ where: { id: t.id }, data: { activeTargetId: st.id } });
    });
    result.tenants.push({
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      mode: spec.mode,
      activeTargetId: tenant.activeTargetId!,
    });

    for (const role of ['admin', 'member'] as const) {
      const email = `${role}@${spec.slug}.test`;
      const user = await prisma.user.upsert({
        where: { email },
        create: { email, passwordHash, displayName: `${spec.name} ${role}` },
        update: { passwordHash },
      });
      await prisma.membership.upsert({
        where: { userId_tenantId: { userId: user.id, tenantId: tenant.id } },
        create: { userId: user.id, tenantId: tenant.id, role },
        update: { role },
      });
      result.users.push({ id: user.id, email, tenantSlug: spec.slug, role });
    }
  }

  const staff = await prisma.user.upsert({
    where: { email: DEMO_STAFF_EMAIL },
    create: { email: DEMO_STAFF_EMAIL, passwordHash, displayName: 'Isola Support' },
    update: { passwordHash },
  });
  await prisma.platformStaff.upsert({
    where: { userId: staff.id },
    create: { userId: staff.id, role: 'support' },
    update: { role: 'support' },
  });
  result.users.push({ id: staff.id, email: DEMO_STAFF_EMAIL, tenantSlug: null, role: 'support' });

  return result;
}
