import { randomBytes } from 'node:crypto';
import type { LocalStackAdmin } from './rgw-admin.js';
import { localStudioKit } from './studio-kit.js';

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
 * and the isolated demo studio's bucket + its own role. The isolated studio is set up exactly as a
 * studio would from its setup kit (studio-kit.ts: trust without ExternalId, permission policy for the
 * whole bucket with deletes, CORS for the web origins, the abort-incomplete-uploads lifecycle rule,
 * the kit's bucket policy + the local admin). The hosted bucket is the platform's own: CORS and
 * studioBucketPolicy (platform keys only through roles), its role trusted by both principals.
 * Idempotent.
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
  // the demo studio's target covers the whole bucket (prefix '') and has deletes enabled
  const isolatedRoleArn = await admin.applyStudioKit({
    bucket: isolated.bucket,
    roleName: isolated.roleName,
    documents: localStudioKit({
      bucket: isolated.bucket,
      prefix: '',
      platformPrincipalArns: principals,
      webOrigins: env.webOrigins,
      deleteObjects: true,
    }),
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

export interface TestStudioOptions {
  /** Part of the bucket name (sanitised), to tell suites apart. */
  readonly label: string;
  /** The prefix the role's permission policy is limited to; '' (default) = the whole bucket. */
  readonly prefix?: string;
  /** Whether the role may delete objects (the tenant's opt-in); default true. */
  readonly deleteObjects?: boolean;
}

/**
 * A throwaway isolated studio for one test suite, set up from its setup kit as a studio would
 * (studio-kit.ts, RGW 16 variants): its own bucket with the kit's CORS (web origins), lifecycle
 * (abort incomplete uploads) and bucket policy (+ the local admin), and its own role trusted by both
 * platform principals with the kit's permission policy. Names are unique per call, so suites never
 * touch the demo studios or each other.
 */
export async function createTestStudio(admin: LocalStackAdmin, options: TestStudioOptions): Promise<TestStudio> {
  const bucket = testBucketName(options.label);
  const roleName = `${bucket}-access`;
  const destroy = async (): Promise<void> => {
    await admin.deleteRole(roleName);
    await admin.emptyAndDeleteBucket(bucket);
  };
  try {
    const documents = localStudioKit({
      bucket,
      prefix: options.prefix ?? '',
      platformPrincipalArns: admin.platformPrincipalArns(),
      webOrigins: admin.env.webOrigins,
      deleteObjects: options.deleteObjects ?? true,
    });
    const roleArn = await admin.applyStudioKit({ bucket, roleName, documents });
    return { bucket, roleName, roleArn, destroy };
  } catch (error) {
    await destroy().catch(() => undefined); // leave nothing half-made behind; the original error matters
    throw error;
  }
}
