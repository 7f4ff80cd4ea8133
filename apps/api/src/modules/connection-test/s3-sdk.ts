import { GetBucketEncryptionCommand, GetBucketLocationCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';

/** The parts of the AWS SDK the bucket inspector uses (bucket-level reads of the connection test). */
export function s3Sdk() {
  return { S3Client, GetBucketLocationCommand, GetBucketEncryptionCommand, GetBucketPolicyCommand };
}
