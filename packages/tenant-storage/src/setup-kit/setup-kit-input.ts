import { isValidStoragePrefix } from '../object-keys.js';
import { partitionOfRoleArn, type AwsPartition } from '../storage-target.js';
import { validateBucketName, validateExternalId } from '../validate-storage-target.js';

/** What a studio's setup kit is rendered from: the target's values, Isola's principals and the studio's choices. */
export interface SetupKitInput {
  /** The platform principals that assume the role: the API's and the worker's. */
  platformPrincipalArns: readonly string[];
  /** The storage target's ExternalId (the trust policy's `sts:ExternalId` condition). */
  externalId: string;
  bucket: string;
  /** Key prefix without leading or trailing slash; `''` means the whole bucket. */
  prefix: string;
  region: string;
  /** The studio's role (named in the bucket policy's optional network restriction; its partition is the ARNs'). */
  roleArn: string;
  /** The web app's origins, allowed by the bucket's CORS (browsers upload and download directly). */
  webOrigins: readonly string[];
  /** The tenant opted in to deletes: the role may delete objects under the prefix. */
  deleteObjects: boolean;
  /** Move sources to STANDARD_IA this many days after upload; absent or 0 = off. */
  transitionSourcesToIaAfterDays?: number;
  /** Isola's egress addresses (CIDR): the role's non-object calls are refused from anywhere else. */
  restrictToSourceIps?: readonly string[];
  /** Isola's VPC endpoint (`vpce-…`): same restriction, for traffic through that endpoint. */
  restrictToVpcEndpointId?: string;
}

/** Days after which sources move to STANDARD_IA when the studio turns the transition on without a number. */
export const DEFAULT_SOURCE_IA_DAYS = 30;
/** S3 refuses STANDARD_IA transitions earlier than 30 days after creation. */
export const MIN_SOURCE_IA_DAYS = 30;
export const MAX_SOURCE_IA_DAYS = 36_500;
/** Bounds the bucket policy well inside S3's 20 KB. */
export const MAX_SOURCE_IP_RANGES = 50;
export const MAX_WEB_ORIGINS = 10;
export const MAX_PRINCIPAL_ARN_LENGTH = 256;

const PRINCIPAL_ARN = /^arn:(aws|aws-us-gov|aws-cn):(iam|sts)::[A-Za-z0-9_-]*:[\x21-\x7e]+$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
const VPC_ENDPOINT = /^vpce-[0-9a-f]{8,17}$/;
const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)(\/(3[0-2]|[12]?\d))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]{2,39}(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;

export function isIpRange(value: string): boolean {
  return IPV4_CIDR.test(value) || (value.includes(':') && IPV6_CIDR.test(value));
}

export function isVpcEndpointId(value: string): boolean {
  return VPC_ENDPOINT.test(value);
}

/** The input, checked: every value lands verbatim in JSON policies, so a bad one is a bug upstream. */
export interface CheckedSetupKitInput extends SetupKitInput {
  partition: AwsPartition;
  /** 0 = off. */
  sourceIaDays: number;
  sourceIps: readonly string[];
}

export function checkSetupKitInput(input: SetupKitInput): CheckedSetupKitInput {
  const problems: string[] = [];
  if (validateBucketName(input.bucket).length > 0) problems.push(`bucket ${JSON.stringify(input.bucket)} is not a valid bucket name`);
  if (!isValidStoragePrefix(input.prefix)) problems.push(`prefix ${JSON.stringify(input.prefix)} is not a valid storage prefix`);
  if (validateExternalId(input.externalId).length > 0) problems.push('externalId is not a valid ExternalId');
  if (input.platformPrincipalArns.length === 0) problems.push('at least one platform principal ARN is needed');
  for (const arn of input.platformPrincipalArns) {
    if (arn.length > MAX_PRINCIPAL_ARN_LENGTH || !PRINCIPAL_ARN.test(arn)) problems.push(`${JSON.stringify(arn)} is not a principal ARN`);
  }
  if (!PRINCIPAL_ARN.test(input.roleArn)) problems.push(`${JSON.stringify(input.roleArn)} is not a role ARN`);
  if (input.webOrigins.length === 0 || input.webOrigins.length > MAX_WEB_ORIGINS) {
    problems.push(`between 1 and ${MAX_WEB_ORIGINS} web origins are needed`);
  }
  for (const origin of input.webOrigins) if (!ORIGIN.test(origin)) problems.push(`${JSON.stringify(origin)} is not a web origin`);
  const days = input.transitionSourcesToIaAfterDays ?? 0;
  if (!Number.isInteger(days) || (days !== 0 && (days < MIN_SOURCE_IA_DAYS || days > MAX_SOURCE_IA_DAYS))) {
    problems.push(`transitionSourcesToIaAfterDays must be 0 (off) or ${MIN_SOURCE_IA_DAYS}–${MAX_SOURCE_IA_DAYS}`);
  }
  const sourceIps = input.restrictToSourceIps ?? [];
  if (sourceIps.length > MAX_SOURCE_IP_RANGES) problems.push(`at most ${MAX_SOURCE_IP_RANGES} source IP ranges`);
  for (const ip of sourceIps) if (!isIpRange(ip)) problems.push(`${JSON.stringify(ip)} is not an IP address or CIDR range`);
  const vpce = input.restrictToVpcEndpointId;
  if (vpce !== undefined && !isVpcEndpointId(vpce)) problems.push(`${JSON.stringify(vpce)} is not a VPC endpoint id (vpce-…)`);
  if (problems.length > 0) throw new RangeError(`Invalid setup kit input: ${problems.join('; ')}`);
  return { ...input, partition: partitionOfRoleArn(input.roleArn), sourceIaDays: days, sourceIps };
}

/** `arn:<partition>:s3:::<bucket>` */
export function bucketArn(input: Pick<CheckedSetupKitInput, 'partition' | 'bucket'>): string {
  return `arn:${input.partition}:s3:::${input.bucket}`;
}

/** `arn:<partition>:s3:::<bucket>/<prefix>/*` — or `…/<bucket>/*` for the whole bucket. */
export function prefixObjectsArn(input: Pick<CheckedSetupKitInput, 'partition' | 'bucket' | 'prefix'>): string {
  return `${bucketArn(input)}/${keyPrefix(input.prefix)}*`;
}

/** `<prefix>/`, or `''` for the whole bucket. */
export function keyPrefix(prefix: string): string {
  return prefix === '' ? '' : `${prefix}/`;
}
