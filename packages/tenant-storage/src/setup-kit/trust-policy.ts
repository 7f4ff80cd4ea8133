import type { IamPolicyDocument } from './iam-policy.js';
import type { CheckedSetupKitInput } from './setup-kit-input.js';

/**
 * The role's trust policy: Isola's platform principals (API and worker) may assume it, only with this
 * target's ExternalId. The ExternalId condition is the confused-deputy guard: without it, any other
 * Isola customer who learned the role ARN could point their own target at it.
 *
 * `withExternalId: false` is for S3-compatible services that cannot evaluate the condition: Ceph RGW 16
 * leaves `sts:ExternalId` out of its condition context, so a trust policy that names it refuses EVERY
 * AssumeRole (measured; infra/local/src/rgw-admin.ts). Isola sends the ExternalId anyway.
 */
export function buildTrustPolicy(
  input: Pick<CheckedSetupKitInput, 'platformPrincipalArns' | 'externalId'>,
  options: { withExternalId: boolean } = { withExternalId: true },
): IamPolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'IsolaPlatformAssumesThisRole',
        Effect: 'Allow',
        Principal: { AWS: [...input.platformPrincipalArns] },
        Action: 'sts:AssumeRole',
        ...(options.withExternalId ? { Condition: { StringEquals: { 'sts:ExternalId': input.externalId } } } : {}),
      },
    ],
  };
}
