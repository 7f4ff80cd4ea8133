import type { INestApplication } from '@nestjs/common';
import { PrismaClient, type StorageTarget, type Tenant } from '@isola/database';
import { createStorageTarget } from '@isola/database/seed';
import { LocalStackAdmin, createTestStudio, loadLocalEnv, type TestStudio } from '@isola/local-stack';
import { SystemClock } from '@isola/runtime';
import { S3ObjectStore } from '@isola/tenant-storage';
import { toTargetRef } from '../../src/modules/storage/storage-targets.repository.js';
import { createTestTenant, createTestUser, login, type TestUser } from './test-app.js';

/** A signed-in user of a studio, with the cookie to send. */
export interface SignedInUser extends TestUser {
  cookie: string;
}

/**
 * One test suite's studio: a throwaway bucket + role on the local RGW (trusted by the platform
 * principals), a tenant whose ACTIVE storage target is that bucket (isolated, s3_compatible), and a
 * member and an admin signed in. `destroy()` deletes the role, empties and deletes the bucket.
 */
export interface MediaStudio {
  admin: LocalStackAdmin;
  studio: TestStudio;
  tenant: Tenant;
  target: StorageTarget;
  member: SignedInUser;
  tenantAdmin: SignedInUser;
  destroy(): Promise<void>;
}

export async function openMediaStudio(
  app: INestApplication,
  label: string,
  options: { prefix?: string; mode?: 'isolated' | 'hosted' } = {},
): Promise<MediaStudio> {
  const admin = new LocalStackAdmin(loadLocalEnv());
  await admin.waitUntilReady(10_000);
  const studio = await createTestStudio(admin, { label });
  try {
    const prisma = app.get(PrismaClient);
    const tenant = await createTestTenant(app);
    const target = await createStorageTarget(
      prisma,
      {
        tenantId: tenant.id,
        mode: options.mode ?? 'isolated',
        provider: 's3_compatible',
        endpoint: admin.env.endpoint,
        region: admin.env.region,
        bucket: studio.bucket,
        prefix: options.prefix ?? 'isola',
        roleArn: studio.roleArn,
      },
      { activate: true },
    );
    const member = await signedIn(app, { tenantId: tenant.id, role: 'member' });
    const tenantAdmin = await signedIn(app, { tenantId: tenant.id, role: 'admin' });
    return {
      admin,
      studio,
      tenant: (await prisma.tenant.findUniqueOrThrow({ where: { id: tenant.id } })) as Tenant,
      target,
      member,
      tenantAdmin,
      async destroy() {
        await studio.destroy();
        admin.destroy();
      },
    };
  } catch (error) {
    await studio.destroy().catch(() => undefined);
    admin.destroy();
    throw error;
  }
}

export async function signedIn(
  app: INestApplication,
  as: { tenantId?: string; role?: 'member' | 'admin'; staff?: 'support' | 'admin' },
): Promise<SignedInUser> {
  const user = await createTestUser(app, as);
  return { ...user, cookie: await login(app, user.email) };
}

/**
 * The studio's bucket seen with the local ADMIN identity's static keys (tests only: reading back what
 * a client uploaded, writing fixtures). Call `destroy()` when done.
 */
export function adminStore(studio: MediaStudio, target: StorageTarget = studio.target): S3ObjectStore {
  const { admin } = studio;
  return new S3ObjectStore(
    toTargetRef(target),
    { ...admin.env.admin, sessionToken: '', expiresAt: new Date(Date.now() + 3_600_000) },
    { clock: new SystemClock(), forcePathStyle: true },
  );
}
