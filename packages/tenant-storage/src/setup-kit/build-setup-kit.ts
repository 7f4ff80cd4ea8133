import { buildBucketCors, type BucketCorsConfiguration } from './bucket-cors.js';
import { buildBucketLifecycle, type BucketLifecycleConfiguration } from './bucket-lifecycle.js';
import { buildBucketPolicy } from './bucket-policy.js';
import { assertWithinLimit, IAM_LIMITS, type IamPolicyDocument } from './iam-policy.js';
import { buildPermissionPolicy, withoutActionsUnknownToRgw16 } from './permission-policy.js';
import { checkSetupKitInput, type SetupKitInput } from './setup-kit-input.js';
import { buildTrustPolicy } from './trust-policy.js';

/** Every document a studio applies for an isolated storage target, rendered with its values. */
export interface SetupKitDocuments {
  /** The role's trust policy: Isola's principals, with the `sts:ExternalId` condition. */
  trustPolicy: IamPolicyDocument;
  /** The same without the ExternalId condition: only for services that cannot evaluate it (Ceph RGW 16). */
  trustPolicyWithoutExternalId: IamPolicyDocument;
  /** The role's inline permission policy. */
  permissionPolicy: IamPolicyDocument;
  /** The permission policy without the actions Ceph RGW 16 refuses (`s3:GetEncryptionConfiguration`). */
  permissionPolicyForCephRgw16: IamPolicyDocument;
  /** PutBucketCors `CORSConfiguration`. */
  bucketCors: BucketCorsConfiguration;
  /** PutBucketLifecycleConfiguration `LifecycleConfiguration`. */
  bucketLifecycle: BucketLifecycleConfiguration;
  /** PutBucketPolicy `Policy` (as a document). */
  bucketPolicy: IamPolicyDocument;
}

/**
 * Renders the setup kit. Pure: the API serves it, the CloudFormation template and the Terraform module
 * are tested to produce exactly these documents, and the integration tests apply them to the local RGW.
 * Throws RangeError on an invalid input or a document over AWS's size quotas.
 */
export function buildSetupKit(input: SetupKitInput): SetupKitDocuments {
  const checked = checkSetupKitInput(input);
  const trustPolicy = buildTrustPolicy(checked);
  const permissionPolicy = buildPermissionPolicy(checked);
  const bucketPolicy = buildBucketPolicy(checked);
  assertWithinLimit('The trust policy', trustPolicy, IAM_LIMITS.trustPolicy);
  assertWithinLimit('The permission policy', permissionPolicy, IAM_LIMITS.roleInlinePolicies);
  assertWithinLimit('The bucket policy', bucketPolicy, IAM_LIMITS.bucketPolicy);
  return {
    trustPolicy,
    trustPolicyWithoutExternalId: buildTrustPolicy(checked, { withExternalId: false }),
    permissionPolicy,
    permissionPolicyForCephRgw16: withoutActionsUnknownToRgw16(permissionPolicy),
    bucketCors: buildBucketCors(checked),
    bucketLifecycle: buildBucketLifecycle(checked),
    bucketPolicy,
  };
}
