import type { ConnectionTestStep, MigrationDto, SetupKitResponse, StorageTargetDto } from '@isola/contracts';
import { uuid } from './fixtures';

export function aTarget(overrides: Partial<StorageTargetDto> = {}): StorageTargetDto {
  return {
    id: uuid(),
    mode: 'isolated',
    provider: 's3_compatible',
    bucket: 'northwind-media',
    prefix: '',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:7480',
    roleArn: 'arn:aws:iam:::role/northwind-isola',
    status: 'pending',
    lastCheckAt: null,
    lastCheckResult: null,
    revokedAt: null,
    active: false,
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aHostedTarget(overrides: Partial<StorageTargetDto> = {}): StorageTargetDto {
  return aTarget({
    mode: 'hosted',
    bucket: 'isola-hosted',
    prefix: 'tenants/northwind',
    roleArn: 'arn:aws:iam:::role/isola-hosted-access',
    status: 'active',
    active: true,
    ...overrides,
  });
}

export function aStep(
  id: ConnectionTestStep['id'],
  outcome: ConnectionTestStep['outcome'],
  overrides: Partial<ConnectionTestStep> = {},
): ConnectionTestStep {
  return { id, title: `Step ${id}`, outcome, detail: `Detail of ${id}`, durationMs: 12, ...overrides };
}

export function aMigration(overrides: Partial<MigrationDto> = {}): MigrationDto {
  return {
    id: uuid(),
    status: 'running',
    from: { id: uuid(), mode: 'hosted', status: 'retired', bucket: 'isola-hosted', prefix: 'tenants/northwind' },
    to: { id: uuid(), mode: 'isolated', status: 'active', bucket: 'northwind-media', prefix: '' },
    totalObjects: 10,
    totalBytes: 10_485_760,
    copiedObjects: 4,
    copiedBytes: 4_194_304,
    failedObjects: 0,
    percent: 40,
    items: { pending: 3, switched: 2, failed: 0, skipped: 0 },
    lastError: null,
    deleteSources: true,
    deleteSourcesAfter: null,
    sourcesDeletedAt: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    startedAt: '2026-03-01T10:00:01.000Z',
    finishedAt: null,
    failedItems: [],
    ...overrides,
  };
}

export function aSetupKit(targetId: string): SetupKitResponse {
  return {
    targetId,
    externalId: 'ext-0123456789abcdef',
    platformPrincipalArns: ['arn:aws:iam:::user/isola-api', 'arn:aws:iam:::user/isola-worker'],
    roleArn: 'arn:aws:iam:::role/northwind-isola',
    bucket: 'northwind-media',
    prefix: '',
    region: 'us-east-1',
    deleteObjects: false,
    options: { transitionSourcesAfterDays: 0, sourceIps: [], vpcEndpointId: null },
    documents: {
      trustPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'trust' }] },
      trustPolicyWithoutExternalId: { Version: '2012-10-17', Statement: [{ Sid: 'trust-rgw' }] },
      permissionPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'permissions' }] },
      permissionPolicyForCephRgw16: { Version: '2012-10-17', Statement: [{ Sid: 'permissions-rgw' }] },
      bucketCors: { CORSRules: [{ AllowedOrigins: ['http://localhost:5173'] }] },
      bucketLifecycle: { Rules: [{ ID: 'abort-incomplete-multipart' }] },
      bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'tls-only' }] },
    },
    cloudFormation: {
      template: 'AWSTemplateFormatVersion: "2010-09-09"\n',
      parameters: [{ ParameterKey: 'BucketName', ParameterValue: 'northwind-media' }],
    },
    terraform: { moduleUsage: 'module "isola_storage" {\n  source = "./isola"\n}\n' },
  };
}
