import { parseRoleArn, type SetupKitInput } from '@isola/tenant-storage';

/** The role name the templates create; the target's role ARN must end with it (path `/`). */
export const DEFAULT_TEMPLATE_ROLE_NAME = 'isola-media-access';

export function templateRoleName(roleArn: string): string {
  return parseRoleArn(roleArn)?.roleName ?? DEFAULT_TEMPLATE_ROLE_NAME;
}

export interface CloudFormationParameterValue {
  ParameterKey: string;
  ParameterValue: string;
}

/**
 * Parameters of infra/tenant-aws/cloudformation/isola-storage.yaml for this kit, in the shape
 * `aws cloudformation create-stack --parameters file://parameters.json` reads.
 */
export function cloudFormationParameters(
  input: SetupKitInput,
  options: { enableVersioning?: boolean } = {},
): CloudFormationParameterValue[] {
  const values: Record<string, string> = {
    BucketName: input.bucket,
    Prefix: input.prefix,
    RoleName: templateRoleName(input.roleArn),
    ExternalId: input.externalId,
    PlatformPrincipalArns: input.platformPrincipalArns.join(','),
    WebOrigins: input.webOrigins.join(','),
    AllowDeletes: String(input.deleteObjects),
    EnableVersioning: String(options.enableVersioning ?? false),
    TransitionSourcesAfterDays: String(input.transitionSourcesToIaAfterDays ?? 0),
    SourceIps: (input.restrictToSourceIps ?? []).join(','),
    VpcEndpointId: input.restrictToVpcEndpointId ?? '',
  };
  return Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

/** An HCL string literal. Kit values never hold `${` or `%{` (validated), but escape them anyway. */
function hcl(value: string): string {
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

function hclList(values: readonly string[]): string {
  return `[${values.map(hcl).join(', ')}]`;
}

/**
 * A `module` block for infra/tenant-aws/terraform with this kit's values, ready to paste into the
 * studio's Terraform configuration (which configures the aws provider for its own account).
 */
export function terraformModuleUsage(input: SetupKitInput, options: { source?: string } = {}): string {
  const rows: Array<[string, string]> = [
    ['source', hcl(options.source ?? './isola-tenant-aws/terraform')],
    ['bucket_name', hcl(input.bucket)],
    ['prefix', hcl(input.prefix)],
    ['role_name', hcl(templateRoleName(input.roleArn))],
    ['external_id', hcl(input.externalId)],
    ['platform_principal_arns', hclList(input.platformPrincipalArns)],
    ['web_origins', hclList(input.webOrigins)],
    ['allow_deletes', String(input.deleteObjects)],
    ['transition_sources_after_days', String(input.transitionSourcesToIaAfterDays ?? 0)],
    ['source_ips', hclList(input.restrictToSourceIps ?? [])],
    ['vpc_endpoint_id', hcl(input.restrictToVpcEndpointId ?? '')],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  const [source, ...values] = rows.map(([key, value]) => `  ${key.padEnd(width)} = ${value}`);
  return [
    '# Isola isolated storage: the bucket and the role Isola assumes (infra/tenant-aws/terraform).',
    'module "isola_storage" {',
    source,
    '',
    ...values,
    '}',
    '',
    "# Give this ARN to Isola as the storage target's role ARN.",
    'output "isola_role_arn" {',
    '  value = module.isola_storage.role_arn',
    '}',
    '',
  ].join('\n');
}
