import type { PolicyDocument, PolicyStatement } from './rgw-admin.js';

/**
 * The setup-kit documents (packages/tenant-storage/src/setup-kit, what the Isola API serves studios)
 * as the local stack applies them to Ceph RGW 16 — restated here because `@isola/local-stack` cannot
 * depend on `@isola/tenant-storage` (whose integration tests depend on this package: a workspace
 * cycle turbo refuses). apps/api/test/integration/storage-targets.integration-spec.ts reads back what
 * createTestStudio put on RGW and asserts it equals `buildSetupKit(...)`, so the two cannot drift.
 *
 * RGW 16 variants (measured): the trust policy has no `sts:ExternalId` condition (RGW leaves it out of
 * its condition context: every AssumeRole would be refused), and the permission policy has no
 * `s3:GetEncryptionConfiguration` (PutRolePolicy answers 400 to an action it does not know). The
 * kit's bucket policy is applied whole (RGW accepts it; its TLS-only Deny is not enforced over
 * plain HTTP) with one statement added: the local admin identity may do everything, so tests can
 * inspect what the apps wrote (docs/adr/0001).
 */

export interface CorsConfigurationDocument {
  readonly CORSRules: ReadonlyArray<{
    readonly AllowedHeaders: readonly string[];
    readonly AllowedMethods: readonly string[];
    readonly AllowedOrigins: readonly string[];
    readonly ExposeHeaders: readonly string[];
    readonly MaxAgeSeconds: number;
  }>;
}

export interface LifecycleConfigurationDocument {
  readonly Rules: ReadonlyArray<{
    readonly ID: string;
    readonly Status: 'Enabled' | 'Disabled';
    readonly Filter: {
      readonly Prefix?: string;
      readonly And?: { readonly Prefix?: string; readonly Tags?: ReadonlyArray<{ Key: string; Value: string }> };
    };
    readonly AbortIncompleteMultipartUpload?: { readonly DaysAfterInitiation: number };
    readonly Transitions?: ReadonlyArray<{ readonly Days: number; readonly StorageClass: string }>;
  }>;
}

/** What a studio applies: the role's two policies and the bucket's CORS, lifecycle and policy. */
export interface StudioKitDocuments {
  readonly trustPolicy: PolicyDocument;
  readonly permissionPolicy: PolicyDocument;
  readonly bucketCors: CorsConfigurationDocument;
  readonly bucketLifecycle: LifecycleConfigurationDocument;
  readonly bucketPolicy: PolicyDocument;
}

export interface LocalStudioKitInput {
  readonly bucket: string;
  /** '' = the whole bucket. */
  readonly prefix: string;
  readonly platformPrincipalArns: readonly string[];
  readonly webOrigins: readonly string[];
  readonly deleteObjects: boolean;
}

/** `<prefix>/` or '' — the form every key and lifecycle filter uses. */
const keyPrefix = (prefix: string) => (prefix === '' ? '' : `${prefix}/`);

/** The setup kit for a local studio, in its RGW 16 variants (see above). */
export function localStudioKit(input: LocalStudioKitInput): StudioKitDocuments {
  if (input.prefix.startsWith('/') || input.prefix.endsWith('/'))
    throw new Error(`prefix ${JSON.stringify(input.prefix)}: no leading or trailing slash`);
  const bucketArn = `arn:aws:s3:::${input.bucket}`;
  const everything = [bucketArn, `${bucketArn}/*`];
  // s3:PutObjectTagging always, as the kit: Isola tags every source `isola-object-kind=source`
  const objectActions = ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
  if (input.deleteObjects) objectActions.push('s3:DeleteObject');
  const list: PolicyStatement = {
    Sid: 'IsolaListsItsPrefix',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: bucketArn,
    ...(input.prefix === '' ? {} : { Condition: { StringLike: { 's3:prefix': [`${keyPrefix(input.prefix)}*`] } } }),
  };
  return {
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'IsolaPlatformAssumesThisRole',
          Effect: 'Allow',
          Principal: { AWS: [...input.platformPrincipalArns] },
          Action: 'sts:AssumeRole',
        },
      ],
    },
    permissionPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'IsolaObjectsUnderItsPrefix', Effect: 'Allow', Action: objectActions, Resource: `${bucketArn}/${keyPrefix(input.prefix)}*` },
        list,
        {
          Sid: 'IsolaReadsBucketConfiguration',
          Effect: 'Allow',
          Action: ['s3:GetBucketLocation', 's3:GetBucketCORS', 's3:GetBucketPolicy', 's3:GetLifecycleConfiguration'],
          Resource: bucketArn,
        },
      ],
    },
    bucketCors: {
      CORSRules: [
        {
          AllowedHeaders: ['*'],
          AllowedMethods: ['GET', 'PUT', 'HEAD'],
          AllowedOrigins: [...input.webOrigins],
          ExposeHeaders: ['ETag'],
          MaxAgeSeconds: 3000,
        },
      ],
    },
    bucketLifecycle: {
      Rules: [
        {
          ID: 'isola-abort-incomplete-multipart-uploads',
          Status: 'Enabled',
          Filter: { Prefix: keyPrefix(input.prefix) },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    },
    bucketPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: everything,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'PlatformKeysOnlyThroughTheRole',
          Effect: 'Deny',
          Principal: { AWS: [...input.platformPrincipalArns] },
          Action: 's3:*',
          Resource: everything,
          Condition: { Null: { 'aws:TokenIssueTime': 'true' } },
        },
      ],
    },
  };
}

/** Sid of the statement the local stack adds to a studio's bucket policy. */
export const LOCAL_ADMIN_STATEMENT_SID = 'LocalAdminInspectsEverything';

/**
 * The kit's bucket policy plus an Allow of everything for the local admin identity (tests read what
 * the apps wrote: on RGW 16 objects written through a role session belong to the user that assumed
 * the role, so the bucket owner cannot read them through ACLs — docs/adr/0001).
 */
export function withLocalAdmin(bucketPolicy: PolicyDocument, bucket: string, adminArn: string): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: LOCAL_ADMIN_STATEMENT_SID,
        Effect: 'Allow',
        Principal: { AWS: [adminArn] },
        Action: ['s3:*'],
        Resource: [bucketArn, `${bucketArn}/*`],
      },
      ...bucketPolicy.Statement.filter((statement) => statement.Sid !== LOCAL_ADMIN_STATEMENT_SID),
    ],
  };
}
