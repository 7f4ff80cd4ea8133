import type { BucketCorsConfiguration, BucketLifecycleConfiguration, IamPolicyDocument, SetupKitDocuments } from '@isola/tenant-storage';
import type { RenderedTemplate } from './render-cloudformation.js';

/** The documents of the setup kit that a template carries (the RGW-only variants are the API's alone). */
export type TemplateDocuments = Pick<
  SetupKitDocuments,
  'trustPolicy' | 'permissionPolicy' | 'bucketCors' | 'bucketLifecycle' | 'bucketPolicy'
>;

export function templateDocumentsOf(kit: SetupKitDocuments): TemplateDocuments {
  const { trustPolicy, permissionPolicy, bucketCors, bucketLifecycle, bucketPolicy } = kit;
  return { trustPolicy, permissionPolicy, bucketCors, bucketLifecycle, bucketPolicy };
}

type Props = Record<string, unknown>;

/**
 * Reads the documents back out of a rendered CloudFormation template. The policies are IAM JSON in
 * both; CORS and lifecycle use CloudFormation's own property names, translated here one to one
 * (CorsRules/ExposedHeaders/MaxAge → CORSRules/ExposeHeaders/MaxAgeSeconds; Id/Prefix/TagFilters/
 * TransitionInDays → ID/Filter/Tags/Days). Any property the translation does not know fails the
 * test instead of being dropped.
 */
export function documentsFromCloudFormation(rendered: RenderedTemplate): TemplateDocuments {
  const bucket = onlyResource(rendered, 'AWS::S3::Bucket');
  const role = onlyResource(rendered, 'AWS::IAM::Role');
  const bucketPolicy = onlyResource(rendered, 'AWS::S3::BucketPolicy');
  const policies = role['Policies'] as Array<{ PolicyName: string; PolicyDocument: IamPolicyDocument }>;
  if (policies.length !== 1) throw new Error(`the role has ${policies.length} inline policies, expected 1`);

  const cors = bucket['CorsConfiguration'] as { CorsRules: Props[] };
  const lifecycle = bucket['LifecycleConfiguration'] as { Rules: Props[] };
  return {
    trustPolicy: role['AssumeRolePolicyDocument'] as IamPolicyDocument,
    permissionPolicy: policies[0]!.PolicyDocument,
    bucketPolicy: bucketPolicy['PolicyDocument'] as IamPolicyDocument,
    bucketCors: {
      CORSRules: cors.CorsRules.map((rule) => {
        only(rule, ['AllowedHeaders', 'AllowedMethods', 'AllowedOrigins', 'ExposedHeaders', 'MaxAge'], 'CORS rule');
        return {
          AllowedHeaders: rule['AllowedHeaders'],
          AllowedMethods: rule['AllowedMethods'],
          AllowedOrigins: rule['AllowedOrigins'],
          ExposeHeaders: rule['ExposedHeaders'],
          MaxAgeSeconds: rule['MaxAge'],
        } as BucketCorsConfiguration['CORSRules'][number];
      }),
    },
    bucketLifecycle: { Rules: lifecycle.Rules.map(lifecycleRule) },
  };
}

function lifecycleRule(rule: Props): BucketLifecycleConfiguration['Rules'][number] {
  only(rule, ['Id', 'Status', 'Prefix', 'TagFilters', 'AbortIncompleteMultipartUpload', 'Transitions'], 'lifecycle rule');
  const prefix = rule['Prefix'];
  const tags = rule['TagFilters'];
  const converted: Props = {
    ID: rule['Id'],
    Status: rule['Status'],
    Filter: tags === undefined ? { Prefix: prefix } : { And: { Prefix: prefix, Tags: tags } },
  };
  if (rule['AbortIncompleteMultipartUpload'] !== undefined)
    converted['AbortIncompleteMultipartUpload'] = rule['AbortIncompleteMultipartUpload'];
  if (rule['Transitions'] !== undefined) {
    converted['Transitions'] = (rule['Transitions'] as Props[]).map((t) => {
      only(t, ['StorageClass', 'TransitionInDays'], 'transition');
      return { Days: t['TransitionInDays'], StorageClass: t['StorageClass'] };
    });
  }
  return converted as unknown as BucketLifecycleConfiguration['Rules'][number];
}

export function onlyResource(rendered: RenderedTemplate, type: string): Props {
  const found = Object.values(rendered.resources).filter((r) => r.Type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!.Properties;
}

function only(object: Props, allowed: string[], what: string): void {
  const unknown = Object.keys(object).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new Error(`${what} has properties the test does not translate: ${unknown.join(', ')}`);
}
