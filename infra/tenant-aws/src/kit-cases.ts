import type { SetupKitInput } from '@isola/tenant-storage';

/**
 * Parameter combinations both templates are rendered with, and the values they stand for. The same
 * studio account and role name throughout: the templates create the role, the kit names its ARN.
 */
export const ACCOUNT_ID = '444455556666';
export const ROLE_NAME = 'IsolaMediaAccess';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';

const base: SetupKitInput = {
  platformPrincipalArns: ['arn:aws:iam::111122223333:role/isola-api', 'arn:aws:iam::111122223333:user/isola-worker'],
  externalId: 'kQ3v_0c9Zt-8pX2mL5nR7sT1uW4yB6dF',
  bucket: 'acme-isola-media',
  prefix: 'isola/prod',
  region: REGION,
  roleArn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`,
  webOrigins: ['https://app.isola.example', 'http://localhost:5173'],
  deleteObjects: false,
};

export interface KitCase {
  name: string;
  input: SetupKitInput;
  enableVersioning: boolean;
}

export const KIT_CASES: KitCase[] = [
  { name: 'prefix; deletes off; IA off; no network restriction', input: base, enableVersioning: false },
  {
    name: 'prefix; deletes on; IA after 30 days; source IPs',
    input: { ...base, deleteObjects: true, transitionSourcesToIaAfterDays: 30, restrictToSourceIps: ['203.0.113.0/24', '198.51.100.7/32'] },
    enableVersioning: true,
  },
  {
    name: 'whole bucket; deletes on; IA after 45 days; source IPs and VPC endpoint',
    input: {
      ...base,
      prefix: '',
      deleteObjects: true,
      transitionSourcesToIaAfterDays: 45,
      restrictToSourceIps: ['2001:db8::/32'],
      restrictToVpcEndpointId: 'vpce-0a1b2c3d4e5f60718',
    },
    enableVersioning: false,
  },
  {
    name: 'one-segment prefix; deletes off; IA off; VPC endpoint only; one origin',
    input: { ...base, prefix: 'media-root', webOrigins: ['https://isola.example'], restrictToVpcEndpointId: 'vpce-0123456789abcdef0' },
    enableVersioning: false,
  },
];

/** CloudFormation parameters as the CLI passes them (all strings). */
export function cloudFormationParameters(kitCase: KitCase): Record<string, string> {
  const { input } = kitCase;
  return {
    BucketName: input.bucket,
    Prefix: input.prefix,
    RoleName: ROLE_NAME,
    ExternalId: input.externalId,
    PlatformPrincipalArns: input.platformPrincipalArns.join(','),
    WebOrigins: input.webOrigins.join(','),
    AllowDeletes: String(input.deleteObjects),
    EnableVersioning: String(kitCase.enableVersioning),
    TransitionSourcesAfterDays: String(input.transitionSourcesToIaAfterDays ?? 0),
    SourceIps: (input.restrictToSourceIps ?? []).join(','),
    VpcEndpointId: input.restrictToVpcEndpointId ?? '',
  };
}

/** Inputs of the Terraform documents module. */
export function terraformDocumentsVariables(kitCase: KitCase): Record<string, unknown> {
  const { input } = kitCase;
  return {
    partition: PARTITION,
    bucket_name: input.bucket,
    prefix: input.prefix,
    role_arn: input.roleArn,
    external_id: input.externalId,
    platform_principal_arns: input.platformPrincipalArns,
    web_origins: input.webOrigins,
    allow_deletes: input.deleteObjects,
    transition_sources_after_days: input.transitionSourcesToIaAfterDays ?? 0,
    source_ips: input.restrictToSourceIps ?? [],
    vpc_endpoint_id: input.restrictToVpcEndpointId ?? '',
  };
}
