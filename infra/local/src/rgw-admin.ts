import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  S3Client,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadLocalEnv, type LocalStackEnv } from './local-env.js';
import {
  withLocalAdmin,
  type CorsConfigurationDocument,
  type LifecycleConfigurationDocument,
  type StudioKitDocuments,
} from './studio-kit.js';

// ---------------------------------------------------------------------------------------------- policies

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: '*' | { readonly AWS: string | readonly string[] };
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** RGW ARNs have an empty account field. */
export const userArn = (userId: string): string => `arn:aws:iam:::user/${userId}`;
export const roleArn = (roleName: string): string => `arn:aws:iam:::role/${roleName}`;

export type PlatformPrincipal = 'api' | 'worker';

/**
 * The permission policy a studio role gets in the local stack: object read/write/tag/delete and
 * multipart under `prefix` (the whole bucket without one), plus listing, CORS and location on the
 * bucket. Tagging: Isola tags every source `isola-object-kind=source` (uploads, migrations into it).
 */
export function bucketRolePolicy(bucket: string, prefix = ''): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Objects',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:PutObject',
          's3:PutObjectTagging',
          's3:DeleteObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        Resource: [`arn:aws:s3:::${bucket}/${prefix}*`],
      },
      {
        Sid: 'Bucket',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketCors', 's3:GetBucketLocation'],
        Resource: [`arn:aws:s3:::${bucket}`],
      },
    ],
  };
}

/**
 * Trust policy letting the given principals call sts:AssumeRole. No sts:ExternalId condition: RGW 16
 * does not put ExternalId into the condition context, so such a condition refuses every AssumeRole
 * (measured). Isola still sends an ExternalId on every call; AWS enforces it, RGW ignores it.
 */
export function trustPolicy(principalArns: readonly string[]): PolicyDocument {
  if (principalArns.length === 0) throw new Error('a trust policy needs at least one principal ARN');
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: [...principalArns] }, Action: ['sts:AssumeRole'] }],
  };
}

/**
 * Bucket policy for every local studio bucket (hosted and isolated), making RGW 16 behave as AWS does:
 *
 * - RGW 16 makes the object's OWNER the user who called AssumeRole (not the bucket owner), so objects
 *   the API writes through a role session belong to isola-api, and isola-api's own static keys could
 *   then read them (measured). A Deny on the platform principals' user ARNs alone also hits their role
 *   sessions (RGW matches a session against its issuing user), so it is limited to requests WITHOUT
 *   `aws:TokenIssueTime` — RGW sets that key only for temporary credentials, exactly as AWS does.
 * - For the same reason the bucket owner (the admin) cannot read those objects through ACLs, so the
 *   admin is allowed everything explicitly: tests inspect what the apps wrote with the admin identity.
 */
export function studioBucketPolicy(
  bucket: string,
  principals: { readonly adminArn: string; readonly platformPrincipalArns: readonly string[] },
): PolicyDocument {
  const resources = [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LocalAdminInspectsEverything',
        Effect: 'Allow',
        Principal: { AWS: [principals.adminArn] },
        Action: ['s3:*'],
        Resource: resources,
      },
      {
        Sid: 'PlatformKeysOnlyThroughRoles',
        Effect: 'Deny',
        Principal: { AWS: [...principals.platformPrincipalArns] },
        Action: ['s3:*'],
        Resource: resources,
        Condition: { Null: { 'aws:TokenIssueTime': 'true' } },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- clients

/** Static keys or temporary credentials (from AssumeRole) for an SDK client. */
export interface ClientCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * S3 client settings RGW 16 needs (STACK.md): path-style addressing and no aws-chunked checksum
 * trailers (RGW answers 411 to them). Usable for the IAM/STS clients too (they ignore the S3 fields).
 */
export function rgwClientConfig(env: Pick<LocalStackEnv, 'endpoint' | 'region'>, credentials: ClientCredentials) {
  return {
    endpoint: env.endpoint,
    region: env.region,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

export const LOOPBACK_HOST = '127.0.0.1';

/** Inline permission policy name ensureRole uses unless told otherwise. */
export const DEFAULT_POLICY_NAME = 'permissions';

/** finalizeRequest middleware: throws before anything is sent to a host other than 127.0.0.1. */
function loopbackOnly<A extends { request: unknown }, R>(next: (args: A) => Promise<R>): (args: A) => Promise<R> {
  return async (args) => {
    const hostname = (args.request as { hostname?: unknown } | undefined)?.hostname;
    if (hostname !== LOOPBACK_HOST) {
      throw new Error(`local stack: refusing to send a request to host ${JSON.stringify(hostname)} (only ${LOOPBACK_HOST})`);
    }
    return next(args);
  };
}

/** Adds a middleware to an SDK client that refuses to send any request to a host other than 127.0.0.1. */
export function guardLoopback<C extends S3Client | IAMClient | STSClient>(client: C): C {
  const options = { step: 'finalizeRequest', name: 'isolaLoopbackGuard', priority: 'low' } as const;
  // one call per client type: the stacks' overloaded add() cannot be called through a union
  if (client instanceof S3Client) client.middlewareStack.add(loopbackOnly, options);
  else if (client instanceof IAMClient) client.middlewareStack.add(loopbackOnly, options);
  else client.middlewareStack.add(loopbackOnly, options);
  return client;
}

/**
 * HTTP status of an SDK error. RGW answers STS/IAM errors in the S3 error envelope, so the SDK reports
 * them as `name: "Unknown"`: the status is the only reliable signal (404 NoSuchEntity, 409 EntityAlreadyExists).
 */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Resolves once RGW answers an anonymous request (any HTTP response) on `endpoint`. */
export async function waitForRgw(endpoint: string, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const url = new URL(endpoint);
  if (url.hostname !== LOOPBACK_HOST) throw new Error(`local stack: refusing to contact ${url.hostname} (only ${LOOPBACK_HOST})`);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason =
        lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
      throw new Error(`RGW does not answer on ${endpoint} (${reason}); start it with infra/local/ceph-up.sh`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

// ---------------------------------------------------------------------------------------------- admin

export interface EnsureRoleInput {
  readonly roleName: string;
  /** e.g. `arn:aws:iam:::user/isola-api` (see LocalStackAdmin.principalArn); trustPolicy(…) of them. */
  readonly trustedPrincipalArns?: readonly string[];
  /** A whole trust policy instead (e.g. the setup kit's); wins over trustedPrincipalArns. */
  readonly trustPolicy?: PolicyDocument;
  readonly permissionPolicy: PolicyDocument;
  /** Name of the inline permission policy; defaults to `permissions`. */
  readonly policyName?: string;
  /** Also delete the role's other inline policies, so it holds exactly this one (default false). */
  readonly removeOtherPolicies?: boolean;
}

/**
 * Provisions the local stack with the ADMIN identity (caps roles, users, buckets). Never hand it to an
 * app: the API and the worker only ever hold their platform principals' keys.
 */
export class LocalStackAdmin {
  readonly s3: S3Client;
  readonly iam: IAMClient;

  constructor(readonly env: LocalStackEnv = loadLocalEnv()) {
    if (new URL(env.endpoint).hostname !== LOOPBACK_HOST) {
      throw new Error(`local stack: endpoint must be on ${LOOPBACK_HOST} (got ${env.endpoint})`);
    }
    const config = rgwClientConfig(env, env.admin);
    this.s3 = guardLoopback(new S3Client(config));
    this.iam = guardLoopback(new IAMClient({ endpoint: config.endpoint, region: config.region, credentials: config.credentials }));
  }

  /** `arn:aws:iam:::user/isola-api` or `…/isola-worker`. */
  principalArn(principal: PlatformPrincipal): string {
    return userArn(this.env[principal].userId);
  }

  /** Both platform principals (the API and the worker assume every studio role). */
  platformPrincipalArns(): string[] {
    return [this.principalArn('api'), this.principalArn('worker')];
  }

  bucketRolePolicy(bucket: string, prefix?: string): PolicyDocument {
    return bucketRolePolicy(bucket, prefix);
  }

  /** studioBucketPolicy for this stack's admin and platform principals. */
  studioBucketPolicy(bucket: string): PolicyDocument {
    return studioBucketPolicy(bucket, { adminArn: userArn(this.env.admin.userId), platformPrincipalArns: this.platformPrincipalArns() });
  }

  /** Waits until RGW answers on the configured endpoint. */
  waitUntilReady(timeoutMs?: number): Promise<void> {
    return waitForRgw(this.env.endpoint, timeoutMs === undefined ? {} : { timeoutMs });
  }

  // ------------------------------------------------------------------------------------------ buckets

  /**
   * Creates the bucket if it is missing. With `corsOrigins`, sets the browser-upload CORS rule ([] removes
   * CORS); with `policy`, replaces the bucket policy (see studioBucketPolicy).
   */
  async ensureBucket(name: string, options: { corsOrigins?: readonly string[]; policy?: PolicyDocument } = {}): Promise<void> {
    if (!(await this.bucketExists(name))) {
      try {
        await this.s3.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        // a concurrent ensureBucket may have won; BucketAlreadyOwnedByYou is fine
        if (!(httpStatusOf(error) === 409 && (await this.bucketExists(name)))) throw error;
      }
    }
    if (options.policy !== undefined) {
      await this.s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(options.policy) }));
    }
    const origins = options.corsOrigins;
    if (origins === undefined) return;
    if (origins.length === 0) {
      await this.s3.send(new DeleteBucketCorsCommand({ Bucket: name }));
      return;
    }
    await this.s3.send(
      new PutBucketCorsCommand({
        Bucket: name,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [...origins],
              AllowedMethods: ['GET', 'PUT', 'HEAD'],
              AllowedHeaders: ['*'],
              // Uppy reads each part's ETag to complete a multipart upload
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 3000,
            },
          ],
        },
      }),
    );
  }

  /**
   * Applies a setup kit (RGW 16 variants, see studio-kit.ts) to a bucket and a role: creates the
   * bucket if missing, puts its CORS, lifecycle and policy (+ the local admin's Allow), then creates or
   * updates the role with the kit's trust policy and its one inline permission policy. Returns the
   * role ARN. Idempotent.
   */
  async applyStudioKit(input: {
    readonly bucket: string;
    readonly roleName: string;
    readonly documents: StudioKitDocuments;
  }): Promise<string> {
    const { bucket, documents } = input;
    await this.ensureBucket(bucket, { policy: withLocalAdmin(documents.bucketPolicy, bucket, userArn(this.env.admin.userId)) });
    await this.putBucketCors(bucket, documents.bucketCors);
    await this.putBucketLifecycle(bucket, documents.bucketLifecycle);
    return this.ensureRole({
      roleName: input.roleName,
      trustPolicy: documents.trustPolicy,
      permissionPolicy: documents.permissionPolicy,
      removeOtherPolicies: true,
    });
  }

  async putBucketCors(bucket: string, cors: CorsConfigurationDocument): Promise<void> {
    await this.s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: cors.CORSRules.map((rule) => ({
            AllowedHeaders: [...rule.AllowedHeaders],
            AllowedMethods: [...rule.AllowedMethods],
            AllowedOrigins: [...rule.AllowedOrigins],
            ExposeHeaders: [...rule.ExposeHeaders],
            MaxAgeSeconds: rule.MaxAgeSeconds,
          })),
        },
      }),
    );
  }

  async putBucketLifecycle(bucket: string, lifecycle: LifecycleConfigurationDocument): Promise<void> {
    await this.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        // the document is S3's own JSON form; the SDK's input type spells the same fields
        LifecycleConfiguration: structuredClone(lifecycle) as unknown as NonNullable<
          ConstructorParameters<typeof PutBucketLifecycleConfigurationCommand>[0]['LifecycleConfiguration']
        >,
      }),
    );
  }

  /** true when the bucket exists and the admin may use it; throws when it belongs to someone else. */
  async bucketExists(name: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadBucketCommand({ Bucket: name }));
      return true;
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 404) return false;
      if (status === 403) throw new Error(`bucket ${name} exists but the local admin cannot use it (HTTP 403)`);
      throw error;
    }
  }

  /** Deletes every object (all versions), aborts open multipart uploads, then deletes the bucket. Missing → no-op. */
  async emptyAndDeleteBucket(name: string): Promise<void> {
    if (!(await this.bucketExists(name))) return;
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({ Bucket: name, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
      );
      const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
        v.Key === undefined ? [] : [{ Key: v.Key, ...(v.VersionId && v.VersionId !== 'null' ? { VersionId: v.VersionId } : {}) }],
      );
      if (objects.length > 0) {
        const result = await this.s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: objects, Quiet: true } }));
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          throw new Error(`emptying ${name}: ${failed.length} object(s) not deleted, e.g. ${failed[0]?.Key}: ${failed[0]?.Code}`);
        }
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);

    let uploadKeyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListMultipartUploadsCommand({ Bucket: name, KeyMarker: uploadKeyMarker, UploadIdMarker: uploadIdMarker }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined) continue;
        await ignoreStatus(
          404,
          this.s3.send(new AbortMultipartUploadCommand({ Bucket: name, Key: upload.Key, UploadId: upload.UploadId })),
        );
      }
      uploadKeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (uploadKeyMarker !== undefined);

    await ignoreStatus(404, this.s3.send(new DeleteBucketCommand({ Bucket: name })));
  }

  // ------------------------------------------------------------------------------------------ roles

  /** Creates the role (path "/") or replaces its trust policy, then puts its inline permission policy. Returns the role ARN. */
  async ensureRole(input: EnsureRoleInput): Promise<string> {
    const { roleName } = input;
    const trustDocument = input.trustPolicy ?? trustPolicy(input.trustedPrincipalArns ?? []);
    const trust = JSON.stringify(trustDocument);
    let arn = await this.findRoleArn(roleName);
    if (arn === undefined) {
      try {
        const created = await this.iam.send(new CreateRoleCommand({ RoleName: roleName, Path: '/', AssumeRolePolicyDocument: trust }));
        arn = created.Role?.Arn || roleArn(roleName);
      } catch (error) {
        if (httpStatusOf(error) !== 409) throw error; // created concurrently: fall through to the update
        arn = roleArn(roleName);
        await this.updateTrust(roleName, trustDocument);
      }
    } else {
      await this.updateTrust(roleName, trustDocument);
    }
    const policyName = input.policyName ?? DEFAULT_POLICY_NAME;
    await this.iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(input.permissionPolicy) }),
    );
    if (input.removeOtherPolicies) {
      for (const other of await this.listRolePolicies(roleName)) {
        if (other !== policyName) await this.deleteRolePolicy(roleName, other);
      }
    }
    return arn;
  }

  /** The role's ARN, or undefined when it does not exist. */
  async findRoleArn(roleName: string): Promise<string | undefined> {
    try {
      const found = await this.iam.send(new GetRoleCommand({ RoleName: roleName }));
      return found.Role?.Arn || roleArn(roleName);
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Replaces the role's trust policy. Note (measured on RGW 16): this only stops NEW AssumeRole calls;
   * credentials already issued keep working. Delete the permission policy or the role to cut them off.
   */
  async updateTrust(roleName: string, principals: readonly string[] | PolicyDocument): Promise<void> {
    const document = isPolicyDocument(principals) ? principals : trustPolicy(principals);
    await this.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(document) }));
  }

  /** Deletes one inline policy (missing role or policy → no-op). Revokes issued credentials at once on RGW. */
  async deleteRolePolicy(roleName: string, policyName: string): Promise<void> {
    await ignoreStatus(404, this.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
  }

  /** Deletes the role's inline policies, then the role (RGW refuses DeleteRole while policies remain). Missing → no-op. */
  async deleteRole(roleName: string): Promise<void> {
    let policyNames: string[];
    try {
      policyNames = await this.listRolePolicies(roleName);
    } catch (error) {
      if (httpStatusOf(error) === 404) return;
      throw error;
    }
    for (const policyName of policyNames) await this.deleteRolePolicy(roleName, policyName);
    await ignoreStatus(404, this.iam.send(new DeleteRoleCommand({ RoleName: roleName })));
  }

  /** Names of the role's inline policies (404 when the role is missing). */
  async listRolePolicies(roleName: string): Promise<string[]> {
    return (await this.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  }

  /** Closes the SDK clients' sockets. */
  destroy(): void {
    this.s3.destroy();
    this.iam.destroy();
  }
}

function isPolicyDocument(value: readonly string[] | PolicyDocument): value is PolicyDocument {
  return !Array.isArray(value);
}

async function ignoreStatus(status: number, call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (httpStatusOf(error) !== status) throw error;
  }
}
