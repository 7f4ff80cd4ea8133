import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SetupKitInput } from '@isola/tenant-storage';
import { CLOUDFORMATION_TEMPLATE_PATH } from './cloudformation-template.js';
import { cloudFormationParameters, terraformModuleUsage } from './template-inputs.js';

const TERRAFORM_VARIABLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../infra/tenant-aws/terraform/variables.tf');

const input: SetupKitInput = {
  platformPrincipalArns: ['arn:aws:iam::111122223333:role/isola-api', 'arn:aws:iam::111122223333:role/isola-worker'],
  externalId: 'abcDEF_123-xyz',
  bucket: 'acme-media',
  prefix: 'isola',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::444455556666:role/StudioIsola',
  webOrigins: ['https://app.isola.example'],
  deleteObjects: true,
  transitionSourcesToIaAfterDays: 30,
  restrictToSourceIps: ['203.0.113.0/24'],
};

describe('template inputs', () => {
  it('fills every CloudFormation parameter the template declares, and no other', () => {
    const template = readFileSync(CLOUDFORMATION_TEMPLATE_PATH, 'utf8');
    const section = template.slice(template.indexOf('\nParameters:\n'), template.indexOf('\nConditions:\n'));
    const declared = [...section.matchAll(/^ {2}([A-Za-z]+):$/gm)].map((m) => m[1]);
    const parameters = cloudFormationParameters(input);
    expect(parameters.map((p) => p.ParameterKey).sort()).toEqual([...declared].sort());
    expect(Object.fromEntries(parameters.map((p) => [p.ParameterKey, p.ParameterValue]))).toEqual({
      BucketName: 'acme-media',
      Prefix: 'isola',
      RoleName: 'StudioIsola',
      ExternalId: 'abcDEF_123-xyz',
      PlatformPrincipalArns: 'arn:aws:iam::111122223333:role/isola-api,arn:aws:iam::111122223333:role/isola-worker',
      WebOrigins: 'https://app.isola.example',
      AllowDeletes: 'true',
      EnableVersioning: 'false',
      TransitionSourcesAfterDays: '30',
      SourceIps: '203.0.113.0/24',
      VpcEndpointId: '',
    });
  });

  it('renders a Terraform module block that sets only variables the module declares', () => {
    const usage = terraformModuleUsage(input);
    const declared = [...readFileSync(TERRAFORM_VARIABLES, 'utf8').matchAll(/^variable "(\w+)"/gm)].map((m) => m[1]);
    const block = usage.slice(usage.indexOf('module "isola_storage" {'), usage.indexOf('\n}\n'));
    const set = [...block.matchAll(/^ {2}(\w+)\s+=/gm)].map((m) => m[1]).filter((name) => name !== 'source');
    expect(set.every((name) => declared.includes(name))).toBe(true);
    expect(usage).toContain('  external_id                   = "abcDEF_123-xyz"\n');
    expect(usage).toContain(
      '  platform_principal_arns       = ["arn:aws:iam::111122223333:role/isola-api", "arn:aws:iam::111122223333:role/isola-worker"]\n',
    );
    expect(usage).toContain('  allow_deletes                 = true\n');
    expect(usage).toContain('  role_name                     = "StudioIsola"\n');
  });

  it('escapes template sequences in HCL strings', () => {
    expect(terraformModuleUsage({ ...input, prefix: 'a${b}%{c}' })).toContain('prefix                        = "a$${b}%%{c}"');
  });
});
