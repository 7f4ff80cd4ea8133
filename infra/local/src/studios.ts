import { randomBytes } from 'node:crypto';
import type { LocalStackAdmin } from './rgw-admin.js';

export interface ProvisionedStorage {
  readonly bucket: string;
  readonly roleArn: string;
}

export interface DemoProvisioning {
  /** The platform's bucket and the platform-owned role assumed for hosted tenants. */
  readonly hosted: ProvisionedStorage;
  /** The isolated demo studio's own bucket and role. */
  readonly isolated: ProvisionedStorage;
}

/**
 * Creates (or brings up to date) what the demo needs: the hosted bucket + platform-owned hosted role,
 * and the isolated demo studio's bucket + its own role. Both buckets allow the web origins (CORS) and
 * carry studioBucketPolicy (platform keys only through roles); both roles trust the API and worker
 * principals. Idempotent.
 *
 * The trust policies carry no `sts:ExternalId` condition: RGW 16 does not evaluate it (every
 * AssumeRole would be refused). Isola sends the target's ExternalId anyway; AWS enforces it.
 */
export async function provisionDemo(admin: LocalStackAdmin): Promise<DemoProvisioning> {
  const { env } = admin;
  const principals = admin.platformPrincipalArns();

  await admin.ensureBucket(env.hosted.bucket, { corsOrigins: env.webOrigins, policy: admin.studioBucketPolicy(env.hosted.bucket) });
  const hostedRoleArn = await admin.ensureRole({
    roleName: env.hosted.roleName,
    trustedPrincipalArns: principals,
    permissionPolicy: admin.bucketRolePolicy(env.hosted.bucket),
    removeOtherPolicies: true,
  });

  const isolated = env.demo.isolated;
  await admin.ensureBucket(isolated.bucket, { corsOrigins: env.webOrigins, policy: admin.studioBucketPolicy(isolated.bucket) });
  const isolatedRoleArn = await admin.ensureRole({
    roleName: isolated.roleName,
    trustedPrincipalArns: principals,
    permissionPolicy: admin.bucketRolePolicy(isolated.bucket),
    removeOtherPolicies: true,
  });

  return {
    hosted: { bucket: env.hosted.bucket, roleArn: hostedRoleArn },
    isolated: { bucket: isolated.bucket, roleArn: isolatedRoleArn },
  };
}

export interface TestStudio {
  readonly bucket: string;
  readonly roleName: string;
  readonly roleArn: string;
  /** Deletes the role (and its policies), then empties and deletes the bucket. Safe to call twice. */
  destroy(): Promise<void>;
}

const MAX_LABEL = 40;

/**
 * `t-<label>-<random>`: a valid, unique S3 bucket name (lowercase letters, digits and hyphens, no dots,
 * at most 2 + 40 + 1 + 12 = 55 characters) whose `-access` role name stays within IAM's 64.
 */
export function testBucketName(label: string, random = randomBytes(6).toString('hex')): string {
  const safe =
    label
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .slice(0, MAX_LABEL)
      .replace(/^-+|-+$/g, '') || 'studio';
  return `t-${safe}-${random}`;
}

/**
 * A throwaway isolated studio for one test suite: its own bucket (CORS for the web origins,
 * studioBucketPolicy) and role
 * (bucketRolePolicy, trusted by both platform principals). Names are unique per call, so suites never
 * touch the demo studios or each other.
 */
export async function createTestStudio(admin: LocalStackAdmin, options: { label: string }): Promise<TestStudio> {
  const bucket = testBucketName(options.label);
  const roleName = `${bucket}-access`;
  const destroy = async (): Promise<void> => {
    await admin.deleteRole(roleName);
    await admin.emptyAndDeleteBucket(bucket);
  };
  try {
    await admin.ensureBucket(bucket, { corsOrigins: admin.env.webOrigins, policy: admin.studioBucketPolicy(bucket) });
    const roleArn = await admin.ensureRole({
      roleName,
      trustedPrincipalArns: admin.platformPrincipalArns(),
      permissionPolicy: admin.bucketRolePolicy(bucket),
    });
    return { bucket, roleName, roleArn, destroy };
  } catch (error) {
    await destroy().catch(() => undefined); // leave nothing half-made behind; the original error matters
    throw error;
  }
}
