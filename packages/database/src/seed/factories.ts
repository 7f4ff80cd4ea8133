// One-line construction helpers for tests, seeds and the demo. Each takes a Prisma client (or a
// transaction client) and partial overrides; every unique column gets a fresh random default, so
// parallel suites and repeated runs never collide. Missing parents (tenant, target, user) are created.
import { randomBytes, randomUUID } from 'node:crypto';
import { generateExternalId } from '../external-id.js';
import type { Media, Membership, PlatformStaff, Prisma, PrismaClient, StorageTarget, Tenant, User } from '../generated/prisma/client.js';

/** A client or the `tx` of an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Default `passwordHash` of factory users: not a valid argon2 string, so it verifies no password
 * (the API must treat a malformed hash as a mismatch). Pass a real hash to log in as the user.
 */
export const UNUSABLE_PASSWORD_HASH = '!unusable';

/** Short random token for unique defaults (slugs, emails, bucket prefixes). */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

export async function createTenant(db: Db, overrides: Partial<Prisma.TenantUncheckedCreateInput> = {}): Promise<Tenant> {
  const suffix = uniqueSuffix();
  return db.tenant.create({
    data: { slug: `tenant-${suffix}`, name: `Tenant ${suffix}`, ...overrides },
  });
}

export interface CreateStorageTargetOptions {
  /** Make it the tenant's active target (status `active` + Tenant.activeTargetId). */
  activate?: boolean;
}

/**
 * Defaults: a hosted target on the local RGW (`isola-test` bucket, prefix `tenants/<random>`);
 * with `mode: 'isolated'` the prefix defaults to '' (the whole bucket).
 */
export async function createStorageTarget(
  db: Db,
  overrides: Partial<Prisma.StorageTargetUncheckedCreateInput> = {},
  opts: CreateStorageTargetOptions = {},
): Promise<StorageTarget> {
  const suffix = uniqueSuffix();
  const tenantId = overrides.tenantId ?? (await createTenant(db)).id;
  const mode = overrides.mode ?? 'hosted';
  const target = await db.storageTarget.create({
    data: {
      mode,
      provider: 's3_compatible',
      endpoint: 'http://127.0.0.1:7480',
      region: 'us-east-1',
      bucket: 'isola-test',
      prefix: mode === 'hosted' ? `tenants/${suffix}` : '',
      roleArn: `arn:aws:iam:::role/isola-test-${suffix}`,
      externalId: generateExternalId(),
      ...(opts.activate ? { status: 'active' as const } : {}),
      ...overrides,
      tenantId,
    },
  });
  if (opts.activate) await db.tenant.update({ where: { id: tenantId }, data: { activeTargetId: target.id } });
  return target;
}

export async function createUser(db: Db, overrides: Partial<Prisma.UserUncheckedCreateInput> = {}): Promise<User> {
  const suffix = uniqueSuffix();
  return db.user.create({
    data: {
      email: `user-${suffix}@example.test`,
      displayName: `User ${suffix}`,
      passwordHash: UNUSABLE_PASSWORD_HASH,
      ...overrides,
    },
  });
}

export async function createMembership(db: Db, overrides: Partial<Prisma.MembershipUncheckedCreateInput> = {}): Promise<Membership> {
  const userId = overrides.userId ?? (await createUser(db)).id;
  const tenantId = overrides.tenantId ?? (await createTenant(db)).id;
  return db.membership.create({ data: { role: 'member', ...overrides, userId, tenantId } });
}

export async function createStaff(db: Db, overrides: Partial<Prisma.PlatformStaffUncheckedCreateInput> = {}): Promise<PlatformStaff> {
  const userId = overrides.userId ?? (await createUser(db)).id;
  return db.platformStaff.create({ data: { role: 'support', ...overrides, userId } });
}

/**
 * Target resolution: `storageTargetId` if given (its tenant is used), else the tenant's active
 * target, else a new active hosted target (and a new tenant when `tenantId` is absent too).
 * Default object key: `<target prefix>/media/<media id>/source/<filename>` (the layout Isola writes:
 * packages/tenant-storage object-keys; the filename must then be key-safe).
 */
export async function createMedia(db: Db, overrides: Partial<Prisma.MediaUncheckedCreateInput> = {}): Promise<Media> {
  const target = await resolveTarget(db, overrides.storageTargetId, overrides.tenantId);
  const id = overrides.id ?? randomUUID();
  const filename = overrides.filename ?? `clip-${uniqueSuffix()}.mp4`;
  return db.media.create({
    data: {
      id,
      objectKey: [target.prefix, `media/${id}/source/${filename}`].filter(Boolean).join('/'),
      filename,
      sizeBytes: 1024n,
      contentType: 'video/mp4',
      kind: 'video',
      ...overrides,
      tenantId: target.tenantId,
      storageTargetId: target.id,
    },
  });
}

async function resolveTarget(db: Db, storageTargetId?: string, tenantId?: string): Promise<StorageTarget> {
  if (storageTargetId) return db.storageTarget.findUniqueOrThrow({ where: { id: storageTargetId } });
  if (tenantId) {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, include: { activeTarget: true } });
    if (tenant.activeTarget) return tenant.activeTarget;
  }
  return createStorageTarget(db, tenantId ? { tenantId } : {}, { activate: true });
}
