/**
 * The storage target model: where one tenant's media lives and how Isola reaches it.
 *
 * - `hosted`: the platform's bucket, under a per-tenant prefix.
 * - `isolated`: the studio's own bucket, reached only through STS AssumeRole on a role the studio
 *   created, with this target's ExternalId.
 */
export type StorageMode = 'hosted' | 'isolated';

/** `aws` = Amazon S3 + AWS STS; `s3_compatible` = anything speaking S3 + STS (Ceph RGW, …). */
export type StorageProvider = 'aws' | 's3_compatible';

/** The AWS partitions Isola supports; the first field of every ARN. */
export type AwsPartition = 'aws' | 'aws-us-gov' | 'aws-cn';

export const AWS_PARTITIONS: readonly AwsPartition[] = ['aws', 'aws-us-gov', 'aws-cn'];

/** Everything needed to reach one storage target. Holds no secret (the ExternalId is not one). */
export interface StorageTargetRef {
  id: string;
  tenantId: string;
  mode: StorageMode;
  provider: StorageProvider;
  /** Origin only (`https://host[:port]`); required for `s3_compatible`, optional override for `aws`. */
  endpoint?: string;
  region: string;
  /** S3 bucket name, without dots. */
  bucket: string;
  /** Key prefix without leading or trailing slash; `''` means the bucket root. */
  prefix: string;
  roleArn: string;
  externalId: string;
}

/** The connection-relevant part of a target: what a tenant admin configures. */
export type StorageTargetConfig = Omit<StorageTargetRef, 'id' | 'tenantId'>;

/** The parts of an IAM role ARN (`arn:<partition>:iam::<account>:role<path><name>`). */
export interface RoleArnParts {
  partition: AwsPartition;
  /** 12 digits on AWS; empty or a tenant/account name on S3-compatible services (RGW). */
  accountId: string;
  /** `/` or `/some/path/`. */
  path: string;
  roleName: string;
}

const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::([A-Za-z0-9_-]*):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

/** Parses a role ARN; `undefined` when it is not one (see `validateRoleArn` for the reasons). */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const match = ROLE_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, accountId, path, roleName] = match;
  if (partition === undefined || accountId === undefined || path === undefined || roleName === undefined) {
    return undefined;
  }
  return { partition: partition as AwsPartition, accountId, path, roleName };
}

/** The partition a role ARN lives in; `aws` when the ARN cannot be parsed. */
export function partitionOfRoleArn(arn: string): AwsPartition {
  return parseRoleArn(arn)?.partition ?? 'aws';
}

/** The partition an AWS region belongs to (`cn-*` → aws-cn, `us-gov-*` → aws-us-gov). */
export function partitionOfRegion(region: string): AwsPartition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
