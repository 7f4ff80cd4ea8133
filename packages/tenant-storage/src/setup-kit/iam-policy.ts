/**
 * IAM policy JSON as AWS documents it (the same grammar serves role trust policies, role permission
 * policies and S3 bucket policies). Plain data: what the API returns, what the templates contain.
 */

export type IamConditionOperator = 'StringEquals' | 'StringLike' | 'StringNotEquals' | 'Bool' | 'Null' | 'ArnEquals' | 'NotIpAddress';

export type IamCondition = Partial<Record<IamConditionOperator, Record<string, string | string[]>>>;

export interface IamStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  /** Only in resource-based policies (trust policies, bucket policies). */
  Principal?: '*' | { AWS: string[] };
  Action?: string | string[];
  NotAction?: string[];
  Resource?: string | string[];
  Condition?: IamCondition;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** IAM's quotas, in characters of the policy without whitespace (compact JSON is what Isola hands out). */
export const IAM_LIMITS = {
  /** A role's trust policy (the default quota; AWS can raise it to 4,096 on request). */
  trustPolicy: 2048,
  /** The aggregate of a role's inline permission policies. */
  roleInlinePolicies: 10_240,
  /** An S3 bucket policy (20 KB). */
  bucketPolicy: 20_480,
} as const;

/** Compact JSON length: what AWS counts against its quotas (it ignores whitespace). */
export function policyLength(document: IamPolicyDocument): number {
  return JSON.stringify(document).length;
}

export function assertWithinLimit(what: string, document: IamPolicyDocument, limit: number): void {
  const length = policyLength(document);
  if (length > limit) throw new RangeError(`${what} is ${length} characters; AWS accepts at most ${limit}`);
}
