import { MAX_PREFIX_LENGTH } from '../object-keys.js';
import { buildSetupKit } from './build-setup-kit.js';
import { IAM_LIMITS, policyLength } from './iam-policy.js';
import { MAX_PRINCIPAL_ARN_LENGTH, MAX_SOURCE_IP_RANGES, MAX_WEB_ORIGINS, type SetupKitInput } from './setup-kit-input.js';

const API = 'arn:aws:iam::111122223333:role/isola-api';
const WORKER = 'arn:aws:iam::111122223333:role/isola-worker';
const ROLE = 'arn:aws:iam::444455556666:role/IsolaMediaAccess';

const input: SetupKitInput = {
  platformPrincipalArns: [API, WORKER],
  externalId: 'Zx3_externalId-0123456789abcdefgh',
  bucket: 'acme-media',
  prefix: 'isola/prod',
  region: 'eu-west-1',
  roleArn: ROLE,
  webOrigins: ['https://app.isola.example'],
  deleteObjects: false,
};

const everything = ['arn:aws:s3:::acme-media', 'arn:aws:s3:::acme-media/*'];

describe('buildSetupKit', () => {
  it('renders the trust policy with the ExternalId condition, and a variant without it', () => {
    const kit = buildSetupKit(input);
    const statement = {
      Sid: 'IsolaPlatformAssumesThisRole',
      Effect: 'Allow',
      Principal: { AWS: [API, WORKER] },
      Action: 'sts:AssumeRole',
    };
    expect(kit.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [{ ...statement, Condition: { StringEquals: { 'sts:ExternalId': input.externalId } } }],
    });
    expect(kit.trustPolicyWithoutExternalId).toEqual({ Version: '2012-10-17', Statement: [statement] });
  });

  it('grants objects under the prefix only, listing of the prefix only, and the configuration reads', () => {
    expect(buildSetupKit(input).permissionPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'IsolaObjectsUnderItsPrefix',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          Resource: 'arn:aws:s3:::acme-media/isola/prod/*',
        },
        {
          Sid: 'IsolaListsItsPrefix',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::acme-media',
          Condition: { StringLike: { 's3:prefix': ['isola/prod/*'] } },
        },
        {
          Sid: 'IsolaReadsBucketConfiguration',
          Effect: 'Allow',
          Action: [
            's3:GetBucketLocation',
            's3:GetBucketCORS',
            's3:GetEncryptionConfiguration',
            's3:GetBucketPolicy',
            's3:GetLifecycleConfiguration',
          ],
          Resource: 'arn:aws:s3:::acme-media',
        },
      ],
    });
  });

  it('adds DeleteObject only when the studio opted in', () => {
    const actions = (kit: ReturnType<typeof buildSetupKit>) => kit.permissionPolicy.Statement[0]!.Action;
    expect(actions(buildSetupKit(input))).not.toContain('s3:DeleteObject');
    expect(actions(buildSetupKit({ ...input, deleteObjects: true }))).toEqual([
      's3:GetObject',
      's3:PutObject',
      's3:PutObjectTagging',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
      's3:DeleteObject',
    ]);
  });

  it('covers the whole bucket without a prefix: no listing condition, keys from the root', () => {
    const policy = buildSetupKit({ ...input, prefix: '' }).permissionPolicy;
    expect(policy.Statement[0]!.Resource).toBe('arn:aws:s3:::acme-media/*');
    expect(policy.Statement[1]).toEqual({
      Sid: 'IsolaListsItsPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-media',
    });
    expect(buildSetupKit({ ...input, prefix: '' }).bucketLifecycle.Rules[0]!.Filter).toEqual({ Prefix: '' });
  });

  it('uses the role ARN’s partition in every S3 ARN', () => {
    const kit = buildSetupKit({ ...input, region: 'cn-north-1', roleArn: 'arn:aws-cn:iam::444455556666:role/IsolaMediaAccess' });
    expect(kit.permissionPolicy.Statement[0]!.Resource).toBe('arn:aws-cn:s3:::acme-media/isola/prod/*');
    expect(kit.bucketPolicy.Statement[0]!.Resource).toEqual(['arn:aws-cn:s3:::acme-media', 'arn:aws-cn:s3:::acme-media/*']);
  });

  it('leaves out the action Ceph RGW 16 refuses in its permission-policy variant, and nothing else', () => {
    const kit = buildSetupKit(input);
    const rgw = kit.permissionPolicyForCephRgw16;
    expect(rgw.Statement[2]!.Action).toEqual([
      's3:GetBucketLocation',
      's3:GetBucketCORS',
      's3:GetBucketPolicy',
      's3:GetLifecycleConfiguration',
    ]);
    expect({ ...rgw, Statement: rgw.Statement.slice(0, 2) }).toEqual({
      ...kit.permissionPolicy,
      Statement: kit.permissionPolicy.Statement.slice(0, 2),
    });
  });

  it('allows the web origins only, GET/PUT/HEAD, with ETag exposed', () => {
    expect(buildSetupKit({ ...input, webOrigins: ['https://a.example', 'http://localhost:5173'] }).bucketCors).toEqual({
      CORSRules: [
        {
          AllowedHeaders: ['*'],
          AllowedMethods: ['GET', 'PUT', 'HEAD'],
          AllowedOrigins: ['https://a.example', 'http://localhost:5173'],
          ExposeHeaders: ['ETag'],
          MaxAgeSeconds: 3000,
        },
      ],
    });
  });

  it('aborts incomplete multipart uploads after a day under the prefix; moves tagged sources to IA only when asked', () => {
    const abort = {
      ID: 'isola-abort-incomplete-multipart-uploads',
      Status: 'Enabled',
      Filter: { Prefix: 'isola/prod/' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    };
    expect(buildSetupKit(input).bucketLifecycle).toEqual({ Rules: [abort] });
    expect(buildSetupKit({ ...input, transitionSourcesToIaAfterDays: 0 }).bucketLifecycle).toEqual({ Rules: [abort] });
    const withIa = buildSetupKit({ ...input, transitionSourcesToIaAfterDays: 45 });
    expect(withIa.bucketLifecycle).toEqual({
      Rules: [
        abort,
        {
          ID: 'isola-sources-to-standard-ia',
          Status: 'Enabled',
          Filter: { And: { Prefix: 'isola/prod/media/', Tags: [{ Key: 'isola-object-kind', Value: 'source' }] } },
          Transitions: [{ Days: 45, StorageClass: 'STANDARD_IA' }],
        },
      ],
    });
    // the rule finds sources by tag; Isola tags every source whether or not the rule is on (sources
    // uploaded before a studio turns it on must match too), so the role may always tag
    expect(withIa.permissionPolicy).toEqual(buildSetupKit(input).permissionPolicy);
    expect(buildSetupKit(input).permissionPolicy.Statement[0]!.Action).toContain('s3:PutObjectTagging');
  });

  it('denies plain HTTP and the platform principals’ long-term keys; no network restriction unless asked', () => {
    expect(buildSetupKit(input).bucketPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
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
          Principal: { AWS: [API, WORKER] },
          Action: 's3:*',
          Resource: everything,
          Condition: { Null: { 'aws:TokenIssueTime': 'true' } },
        },
      ],
    });
  });

  it('restricts only the Isola role, only outside the given IPs and/or VPC endpoint, never browser GET/PUT', () => {
    const restricted = (extra: Partial<SetupKitInput>) => buildSetupKit({ ...input, ...extra }).bucketPolicy.Statement[2];
    const base = {
      Sid: 'IsolaRoleOnlyFromIsolaNetwork',
      Effect: 'Deny',
      Principal: '*',
      NotAction: ['s3:GetObject', 's3:PutObject'],
      Resource: everything,
    };
    expect(restricted({ restrictToSourceIps: ['203.0.113.0/24', '2001:db8::/32'] })).toEqual({
      ...base,
      Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE }, NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
    });
    expect(restricted({ restrictToVpcEndpointId: 'vpce-0123456789abcdef0' })).toEqual({
      ...base,
      Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE }, StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
    });
    expect(restricted({ restrictToSourceIps: ['198.51.100.7'], restrictToVpcEndpointId: 'vpce-0123456789abcdef0' })?.Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': ROLE },
      NotIpAddress: { 'aws:SourceIp': ['198.51.100.7'] },
      StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' },
    });
    expect(restricted({ restrictToSourceIps: [] })).toBeUndefined();
  });

  it('stays within AWS’s quotas for the largest inputs it accepts', () => {
    const longArn = (name: string) =>
      `arn:aws-us-gov:iam::111122223333:role/${'p'.repeat(MAX_PRINCIPAL_ARN_LENGTH)}`.slice(0, MAX_PRINCIPAL_ARN_LENGTH - name.length) +
      name;
    const worst: SetupKitInput = {
      platformPrincipalArns: [longArn('api'), longArn('worker')],
      externalId: 'x'.repeat(64),
      bucket: 'b'.repeat(63),
      prefix: Array.from({ length: 32 }, () => 'segment')
        .join('/')
        .slice(0, MAX_PREFIX_LENGTH),
      region: 'us-gov-west-1',
      roleArn: `arn:aws-us-gov:iam::444455556666:role/${'r'.repeat(64)}`,
      webOrigins: Array.from({ length: MAX_WEB_ORIGINS }, (_, i) => `https://${'o'.repeat(200)}${i}.example:65535`),
      deleteObjects: true,
      transitionSourcesToIaAfterDays: 36_500,
      restrictToSourceIps: Array.from(
        { length: MAX_SOURCE_IP_RANGES },
        (_, i) => `2001:db8:ffff:ffff:ffff:ffff:ffff:${i.toString(16)}/128`,
      ),
      restrictToVpcEndpointId: 'vpce-0123456789abcdef0',
    };
    const kit = buildSetupKit(worst);
    expect(worst.platformPrincipalArns.every((arn) => arn.length === MAX_PRINCIPAL_ARN_LENGTH)).toBe(true);
    expect(policyLength(kit.trustPolicy)).toBeLessThanOrEqual(IAM_LIMITS.trustPolicy);
    expect(policyLength(kit.permissionPolicy)).toBeLessThanOrEqual(IAM_LIMITS.roleInlinePolicies);
    expect(policyLength(kit.bucketPolicy)).toBeLessThanOrEqual(IAM_LIMITS.bucketPolicy);
    // even with the longest ExternalId AWS allows (Isola's own are 32 characters)
    expect(policyLength(buildSetupKit({ ...worst, externalId: 'x'.repeat(1224) }).trustPolicy)).toBeLessThanOrEqual(IAM_LIMITS.trustPolicy);
    // and the guard is real: more principals than that break the trust-policy quota
    const fourPrincipals = { ...worst, externalId: 'x'.repeat(1224), platformPrincipalArns: ['a', 'b', 'c', 'd'].map(longArn) };
    expect(() => buildSetupKit(fourPrincipals)).toThrow(/trust policy is \d+ characters; AWS accepts at most 2048/);
  });

  it.each<[string, Partial<SetupKitInput>, RegExp]>([
    ['a bucket with dots', { bucket: 'acme.media' }, /bucket/],
    ['a prefix with a wildcard', { prefix: 'isola/*' }, /prefix/],
    ['no principal', { platformPrincipalArns: [] }, /principal/],
    ['a principal that is no ARN', { platformPrincipalArns: ['isola-api'] }, /principal ARN/],
    ['no web origin', { webOrigins: [] }, /web origins/],
    ['an origin with a path', { webOrigins: ['https://app.example/x'] }, /web origin/],
    ['a transition earlier than S3 allows', { transitionSourcesToIaAfterDays: 7 }, /transitionSourcesToIaAfterDays/],
    ['a source IP that is not one', { restrictToSourceIps: ['10.0.0.0/33'] }, /IP address/],
    ['a bad VPC endpoint id', { restrictToVpcEndpointId: 'vpc-123' }, /VPC endpoint/],
    ['an ExternalId with spaces', { externalId: 'has spaces' }, /ExternalId/],
  ])('refuses %s', (_, change, message) => {
    expect(() => buildSetupKit({ ...input, ...change })).toThrow(message);
  });
});
