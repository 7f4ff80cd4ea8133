import { partitionOfRoleArn, probePrefix, s3Location, type StorageTargetRef } from '@isola/tenant-storage';

/**
 * The fix hints of the connection test: what exactly to change, where, naming the ARN the studio's
 * policy must cover. Pure, so each wording is tested.
 */

/** `arn:aws:s3:::<bucket>` (partition from the role ARN). */
export function bucketArn(target: Pick<StorageTargetRef, 'bucket' | 'roleArn'>): string {
  return `arn:${partitionOfRoleArn(target.roleArn)}:s3:::${target.bucket}`;
}

/** `arn:aws:s3:::<bucket>/<prefix>/.isola-probe/*`: where the connection test writes. */
export function probeObjectsArn(target: Pick<StorageTargetRef, 'bucket' | 'roleArn' | 'prefix'>): string {
  return `${bucketArn(target)}/${probePrefix(target.prefix)}*`;
}

/** Where the bucket is reached, for messages (`http://127.0.0.1:7480` or AWS's regional endpoint). */
export function storageEndpointOf(target: StorageTargetRef): string {
  const location = s3Location(target, true);
  return `${location.protocol}//${location.host}`;
}

/** The role lacks an object action on the probe prefix. */
export function missingObjectPermission(target: StorageTargetRef, action: string): string {
  return (
    `The role has no ${action} on ${probeObjectsArn(target)} (or a bucket policy denies it): ` +
    "update the role's permission policy from the setup kit, which grants it on the target's prefix."
  );
}

/** The role lacks a bucket-level read. */
export function missingBucketPermission(target: StorageTargetRef, action: string): string {
  return `The role has no ${action} on ${bucketArn(target)}: update the role's permission policy from the setup kit.`;
}

/** AssumeRole with the ExternalId was refused. */
export function assumeRefusedHint(target: StorageTargetRef, platformPrincipalArn: string, httpStatus: number | undefined): string {
  if (httpStatus === 404) {
    return `No role ${target.roleArn} exists: create it from the setup kit (CloudFormation or Terraform), or correct the target's role ARN.`;
  }
  return (
    `Check that the role ${target.roleArn} exists with exactly this ARN and that its trust policy (setup kit → trust policy) ` +
    `allows sts:AssumeRole for Isola's platform principal ${platformPrincipalArn}, with the condition sts:ExternalId equal ` +
    "to this target's ExternalId (shown in the setup kit; it changes when regenerated)."
  );
}

/** AssumeRole WITHOUT the ExternalId succeeded. */
export function externalIdGuardHint(target: StorageTargetRef): string {
  const rgw =
    target.provider === 's3_compatible'
      ? ' Ceph RGW 16 cannot evaluate sts:ExternalId (a trust condition on it refuses every AssumeRole), so on RGW this warning stays: ' +
        'there the role must trust nothing but Isola’s platform principals.'
      : '';
  return (
    'Add the condition {"StringEquals": {"sts:ExternalId": "<this target\'s ExternalId>"}} to the role\'s trust policy ' +
    "(the setup kit's trust policy has it). Without it, anyone who can make Isola assume a role ARN of their choosing " +
    `could reach this bucket through Isola (the "confused deputy").${rgw}`
  );
}

/** The bucket does not exist where the target points. */
export function bucketMissingHint(target: StorageTargetRef): string {
  return (
    `No bucket named "${target.bucket}" answers at ${storageEndpointOf(target)}: check the target's bucket name ` +
    "(the exact name, as in the setup kit template's output) and endpoint, or create the bucket."
  );
}

export function regionMismatchHint(bucketRegion: string): string {
  return `Set the target's region to ${bucketRegion} (the bucket's region), or use a bucket in the configured region.`;
}

export function corsHint(target: StorageTargetRef, origins: readonly string[]): string {
  return (
    `Apply the setup kit's CORS configuration to bucket ${target.bucket}: AllowedOrigins ${JSON.stringify(origins)}, ` +
    'AllowedMethods ["GET","PUT","HEAD"], AllowedHeaders ["*"], ExposeHeaders ["ETag"].'
  );
}

export function encryptionMissingHint(target: StorageTargetRef): string {
  return `Turn on default encryption for bucket ${target.bucket} (SSE-S3 at least; the setup kit's templates do).`;
}

/** Ceph RGW 16 and default encryption (documented warning). */
export const RGW_ENCRYPTION_REASON =
  'Ceph RGW 16 has no bucket default encryption: PutBucketEncryption is refused, GetBucketEncryption answers empty, ' +
  'and its policy language has no s3:GetEncryptionConfiguration to grant.';

export function tlsOnlyHint(target: StorageTargetRef): string {
  const arn = bucketArn(target);
  return (
    `Add the setup kit's TLS-only statement to the bucket policy of ${target.bucket}: ` +
    `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["${arn}","${arn}/*"],` +
    '"Condition":{"Bool":{"aws:SecureTransport":"false"}}}.'
  );
}

/** A transient failure (throttled, unreachable). */
export function tryAgainHint(target: StorageTargetRef): string {
  return `The storage service did not answer properly: run the test again in a minute; if it persists, check that ${storageEndpointOf(target)} is reachable.`;
}
