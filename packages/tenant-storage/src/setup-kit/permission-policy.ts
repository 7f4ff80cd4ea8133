import type { IamPolicyDocument, IamStatement } from './iam-policy.js';
import { bucketArn, keyPrefix, prefixObjectsArn, type CheckedSetupKitInput } from './setup-kit-input.js';

/**
 * The role's permission policy: exactly what Isola's purposes need, nothing on the rest of the bucket.
 * Every credential Isola mints is narrowed further by a per-purpose session policy
 * (packages/credentials/src/build-session-policy.ts); this is the ceiling they all live under.
 *
 * - Objects under the prefix: GetObject (links, transcode and migration reads, the connection test),
 *   PutObject (uploads — CreateMultipartUpload, UploadPart and CompleteMultipartUpload are all
 *   authorised by it —, renditions, migration writes), PutObjectTagging (every source is tagged
 *   `isola-object-kind=source`, SOURCE_TAG in bucket-lifecycle.ts — after its upload completes, and
 *   when a migration copies it —, so that
 *   the optional sources-to-Infrequent-Access lifecycle rule can find it; granted whether or not that
 *   rule is on, so sources uploaded before a studio turns it on are tagged too), AbortMultipartUpload
 *   and ListMultipartUploadParts (resumable uploads). DeleteObject only when the studio opted in
 *   (media deletion, sources after a verified migration, the connection test's probe).
 * - The bucket: ListBucket for the prefix only (usage figures; the `s3:prefix` condition keeps the rest
 *   of the bucket's names hidden), and the configuration reads the connection test explains failures
 *   with: GetBucketLocation (region), GetBucketCORS (browser uploads), GetEncryptionConfiguration
 *   (default encryption), GetBucketPolicy (TLS-only), GetLifecycleConfiguration (abort rule). None of
 *   them reveals object names or data.
 */
export const TAGGING_ACTION = 's3:PutObjectTagging';
export const OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  TAGGING_ACTION,
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
] as const;
export const DELETE_ACTION = 's3:DeleteObject';
export const BUCKET_CONFIGURATION_ACTIONS = [
  's3:GetBucketLocation',
  's3:GetBucketCORS',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPolicy',
  's3:GetLifecycleConfiguration',
] as const;

/**
 * Actions Ceph RGW 16 does not know: PutRolePolicy answers 400 to a policy naming them (measured), and
 * it has no default encryption to read anyway (STACK.md: no PutBucketEncryption).
 */
export const ACTIONS_UNKNOWN_TO_RGW16: readonly string[] = ['s3:GetEncryptionConfiguration'];

export function buildPermissionPolicy(input: CheckedSetupKitInput): IamPolicyDocument {
  const objectActions: string[] = [...OBJECT_ACTIONS];
  if (input.deleteObjects) objectActions.push(DELETE_ACTION);

  const list: IamStatement = { Sid: 'IsolaListsItsPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn(input) };
  if (input.prefix !== '') list.Condition = { StringLike: { 's3:prefix': [`${keyPrefix(input.prefix)}*`] } };

  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'IsolaObjectsUnderItsPrefix', Effect: 'Allow', Action: objectActions, Resource: prefixObjectsArn(input) },
      list,
      { Sid: 'IsolaReadsBucketConfiguration', Effect: 'Allow', Action: [...BUCKET_CONFIGURATION_ACTIONS], Resource: bucketArn(input) },
    ],
  };
}

/** The same policy without the actions RGW 16 refuses (for applying the kit to the local stack). */
export function withoutActionsUnknownToRgw16(policy: IamPolicyDocument): IamPolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map((statement) =>
      Array.isArray(statement.Action)
        ? { ...statement, Action: statement.Action.filter((action) => !ACTIONS_UNKNOWN_TO_RGW16.includes(action)) }
        : statement,
    ),
  };
}
