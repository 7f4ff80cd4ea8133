import { hash } from '@node-rs/argon2';
import { createPrismaClient } from '@isola/database';
import { seedDemo, type DemoSeedResult } from '@isola/database/seed';
import type { LocalStackEnv } from './local-env.js';
import { roleArn } from './rgw-admin.js';

/** The documented default; set DEMO_PASSWORD to choose another. */
export const DEFAULT_DEMO_PASSWORD = 'isola-demo';

/**
 * Seeds the demo tenants, users and storage targets into DATABASE_URL, pointing at the buckets and
 * roles `provision` created in the local stack. Passwords are hashed with argon2id, as the API's
 * login verifies them.
 */
export async function seedLocalDemo(env: LocalStackEnv, databaseUrl: string, password: string): Promise<DemoSeedResult> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    return await seedDemo(prisma, {
      password,
      hashPassword: (plain) => hash(plain),
      local: {
        hostedBucket: env.hosted.bucket,
        hostedRoleArn: roleArn(env.hosted.roleName),
        isolatedBucket: env.demo.isolated.bucket,
        isolatedRoleArn: roleArn(env.demo.isolated.roleName),
        endpoint: env.endpoint,
        region: env.region,
      },
    });
  } finally {
    await prisma.$disconnect();
  }
}
