import { readFileSync } from 'node:fs';
import { buildSetupKit } from '@isola/tenant-storage';
import { parseCloudFormationYaml } from './cloudformation-yaml.js';
import { TEMPLATE_PATH } from './paths.js';
import { ACCOUNT_ID, KIT_CASES, PARTITION, REGION, ROLE_NAME, cloudFormationParameters, type KitCase } from './kit-cases.js';
import { renderCloudFormation } from './render-cloudformation.js';
import { documentsFromCloudFormation, onlyResource, templateDocumentsOf } from './template-documents.js';

const template = parseCloudFormationYaml(readFileSync(TEMPLATE_PATH, 'utf8'));

const render = (kitCase: KitCase) =>
  renderCloudFormation(template, {
    parameters: cloudFormationParameters(kitCase),
    accountId: ACCOUNT_ID,
    region: REGION,
    partition: PARTITION,
  });

describe('the CloudFormation template', () => {
  it.each(KIT_CASES.map((c) => [c.name, c] as const))('holds exactly the setup kit’s documents: %s', (_, kitCase) => {
    expect(documentsFromCloudFormation(render(kitCase))).toEqual(templateDocumentsOf(buildSetupKit(kitCase.input)));
  });

  it('creates a private bucket with default encryption, owner-enforced objects, kept when the stack goes', () => {
    const bucket = onlyResource(render(KIT_CASES[0]!), 'AWS::S3::Bucket');
    expect(bucket['PublicAccessBlockConfiguration']).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket['OwnershipControls']).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket['BucketEncryption']).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(template.Resources['Bucket']).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('turns versioning on only when asked', () => {
    const versioning = (kitCase: KitCase) => onlyResource(render(kitCase), 'AWS::S3::Bucket')['VersioningConfiguration'];
    expect(versioning(KIT_CASES.find((c) => c.enableVersioning)!)).toEqual({ Status: 'Enabled' });
    expect(versioning(KIT_CASES.find((c) => !c.enableVersioning)!)).toBeUndefined();
  });

  it('outputs the role ARN the kit names and the bucket', () => {
    const rendered = render(KIT_CASES[0]!);
    expect(rendered.outputs).toEqual({
      RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`,
      BucketName: KIT_CASES[0]!.input.bucket,
      Prefix: KIT_CASES[0]!.input.prefix,
    });
    expect(rendered.outputs['RoleArn']).toBe(KIT_CASES[0]!.input.roleArn);
  });

  it('reads as a different document when the template drifts (the comparison is not vacuous)', () => {
    const drifted = structuredClone(template);
    const role = drifted.Resources['Role']!.Properties as {
      Policies: Array<{ PolicyDocument: { Statement: Array<{ Action: unknown }> } }>;
    };
    role.Policies[0]!.PolicyDocument.Statement[0]!.Action = ['s3:*'];
    const rendered = renderCloudFormation(drifted, {
      parameters: cloudFormationParameters(KIT_CASES[0]!),
      accountId: ACCOUNT_ID,
      region: REGION,
      partition: PARTITION,
    });
    expect(documentsFromCloudFormation(rendered)).not.toEqual(templateDocumentsOf(buildSetupKit(KIT_CASES[0]!.input)));
  });
});
