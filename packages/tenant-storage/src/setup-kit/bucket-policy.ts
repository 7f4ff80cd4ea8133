import type { IamCondition, IamPolicyDocument, IamStatement } from './iam-policy.js';
import { bucketArn, type CheckedSetupKitInput } from './setup-kit-input.js';

/** Calls a browser makes with presigned URLs (part uploads, links): never restricted by network. */
export const BROWSER_ACTIONS = ['s3:GetObject', 's3:PutObject'] as const;

/**
 * The bucket policy:
 *
 * - `DenyInsecureTransport`: every request over plain HTTP is refused, whoever makes it.
 * - `PlatformKeysOnlyThroughTheRole` (docs/adr/0001): Isola's platform principals may reach the bucket
 *   only through the role — requests signed with their long-term keys (no `aws:TokenIssueTime`, which
 *   only temporary credentials carry) are refused. Defence in depth on AWS; essential on Ceph RGW 16,
 *   where objects written by a role session belong to the user that assumed the role.
 * - `IsolaRoleOnlyFromIsolaNetwork` (optional): the role's sessions may call S3 only from Isola's
 *   egress addresses or VPC endpoint. It can never lock out the studio's own administrators: the
 *   statement applies only to requests whose principal is Isola's role (`aws:PrincipalArn`), so every
 *   other principal of the studio's account is untouched, and the studio can always delete the policy.
 *   GetObject and PutObject stay open: browsers upload parts and play media with presigned URLs signed
 *   by the role's sessions, from wherever the studio's people are. Everything else — listing,
 *   deleting, aborting uploads, reading configuration — must come from Isola's servers. With both IPs
 *   and a VPC endpoint, either one suffices (the conditions of one statement must all hold to deny).
 */
export function buildBucketPolicy(input: CheckedSetupKitInput): IamPolicyDocument {
  const bucket = bucketArn(input);
  const everything = [bucket, `${bucket}/*`];
  const statements: IamStatement[] = [
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
  ];
  const vpce = input.restrictToVpcEndpointId;
  if (input.sourceIps.length > 0 || vpce !== undefined) {
    const condition: IamCondition = { ArnEquals: { 'aws:PrincipalArn': input.roleArn } };
    if (input.sourceIps.length > 0) condition.NotIpAddress = { 'aws:SourceIp': [...input.sourceIps] };
    if (vpce !== undefined) condition.StringNotEquals = { 'aws:SourceVpce': vpce };
    statements.push({
      Sid: 'IsolaRoleOnlyFromIsolaNetwork',
      Effect: 'Deny',
      Principal: '*',
      NotAction: [...BROWSER_ACTIONS],
      Resource: everything,
      Condition: condition,
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
