import {
  storagePrefixesOverlap,
  validateBucketName,
  validateEndpoint,
  validateExternalId,
  validateRegion,
  validateRoleArn,
  validateStoragePrefix,
  validateStorageTarget,
  type StorageTargetInput,
} from './validate-storage-target.js';
import { parseRoleArn, partitionOfRoleArn } from './storage-target.js';

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

const AWS_TARGET: StorageTargetInput = {
  mode: 'isolated',
  provider: 'aws',
  region: 'eu-west-1',
  bucket: 'acme-media',
  prefix: 'isola',
  roleArn: 'arn:aws:iam::123456789012:role/IsolaMediaAccess',
  externalId: 'isola-7f3c2a9e4b1d',
};

const RGW_TARGET: StorageTargetInput = {
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'default',
  bucket: 'studio-a',
  prefix: '',
  roleArn: 'arn:aws:iam:::role/isola-access',
  externalId: 'ext-123',
};

describe('validateStorageTarget', () => {
  it('accepts a valid AWS target and normalises it', () => {
    expect(validateStorageTarget({ ...AWS_TARGET, bucket: ' acme-media ', roleArn: `${AWS_TARGET.roleArn}\n` })).toEqual({
      ok: true,
      value: {
        mode: 'isolated',
        provider: 'aws',
        region: 'eu-west-1',
        bucket: 'acme-media',
        prefix: 'isola',
        roleArn: 'arn:aws:iam::123456789012:role/IsolaMediaAccess',
        externalId: 'isola-7f3c2a9e4b1d',
      },
    });
  });

  it('accepts the local RGW target only when local endpoints are allowed', () => {
    expect(validateStorageTarget(RGW_TARGET, { allowLocalEndpoints: true })).toEqual({
      ok: true,
      value: { ...RGW_TARGET, endpoint: 'http://127.0.0.1:7480' },
    });
    const result = validateStorageTarget(RGW_TARGET);
    expect(result.ok).toBe(false);
    expect(!result.ok && codes(result.issues)).toEqual(['ENDPOINT_INSECURE', 'ENDPOINT_PRIVATE_HOST']);
  });

  it('normalises the endpoint to its origin', () => {
    const result = validateStorageTarget({ ...RGW_TARGET, endpoint: 'HTTPS://S3.Example.com:443/' });
    expect(result).toEqual({ ok: true, value: { ...RGW_TARGET, endpoint: 'https://s3.example.com' } });
  });

  it('reports every problem with field, code and a message that says how to fix it', () => {
    const result = validateStorageTarget({
      mode: 'hosted',
      provider: 'aws',
      region: 'Europe (Ireland)',
      bucket: 'My.Bucket',
      prefix: '/media/',
      roleArn: 'arn:aws:iam::12345:user/bob',
      externalId: 'x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.field, i.code])).toEqual([
      ['bucket', 'BUCKET_DOTS'],
      ['bucket', 'BUCKET_UPPERCASE'],
      ['region', 'REGION_FORMAT'],
      ['roleArn', 'ROLE_ARN_ACCOUNT'],
      ['roleArn', 'ROLE_ARN_NOT_A_ROLE'],
      ['prefix', 'PREFIX_SLASHES'],
      ['externalId', 'EXTERNAL_ID_FORMAT'],
    ]);
    expect(result.issues[0]?.message).toBe(
      'Bucket names with dots are not supported: HTTPS certificates do not cover them in virtual-hosted-style URLs. Use a bucket without dots, e.g. "my-bucket".',
    );
    expect(result.issues[5]?.message).toBe('Write the prefix without leading, trailing or doubled slashes: "media".');
  });

  it('flags a region outside the role ARN partition', () => {
    const result = validateStorageTarget({ ...AWS_TARGET, region: 'us-gov-west-1' });
    expect(!result.ok && result.issues).toEqual([
      {
        field: 'region',
        code: 'REGION_PARTITION_MISMATCH',
        message:
          'Region "us-gov-west-1" is in the "aws-us-gov" partition but the role ARN is in "aws". A role can only reach buckets in its own partition: check the region and the role ARN (it starts with "arn:aws-us-gov:iam::").',
      },
    ]);
    expect(validateStorageTarget({ ...AWS_TARGET, region: 'us-gov-west-1', roleArn: 'arn:aws-us-gov:iam::123456789012:role/x' }).ok).toBe(
      true,
    );
    expect(validateStorageTarget({ ...AWS_TARGET, region: 'cn-north-1', roleArn: 'arn:aws-cn:iam::123456789012:role/x' }).ok).toBe(true);
  });

  it('rejects unknown modes and providers from untyped input', () => {
    const result = validateStorageTarget({ ...AWS_TARGET, mode: 'shared' as never, provider: 'gcs' as never });
    expect(!result.ok && codes(result.issues).slice(0, 2)).toEqual(['INVALID_VALUE', 'INVALID_VALUE']);
  });
});

describe('validateBucketName', () => {
  it.each(['abc', 'acme-media', 'a'.repeat(63), '123bucket', 'a-b-c'])('accepts %j', (bucket) => {
    expect(validateBucketName(bucket)).toEqual([]);
  });

  it.each([
    ['', ['REQUIRED']],
    ['ab', ['BUCKET_LENGTH']],
    ['a'.repeat(64), ['BUCKET_LENGTH']],
    ['my.bucket', ['BUCKET_DOTS']],
    ['192.168.1.1', ['BUCKET_DOTS']],
    ['MyBucket', ['BUCKET_UPPERCASE']],
    ['my_bucket', ['BUCKET_CHARACTERS']],
    ['my bucket', ['BUCKET_CHARACTERS']],
    ['my bucket!', ['BUCKET_CHARACTERS', 'BUCKET_EDGE']],
    ['-bucket', ['BUCKET_EDGE']],
    ['bucket-', ['BUCKET_EDGE']],
    ['xn--bucket', ['BUCKET_RESERVED']],
    ['sthree-bucket', ['BUCKET_RESERVED']],
    ['bucket-s3alias', ['BUCKET_RESERVED']],
    ['bucket--ol-s3', ['BUCKET_RESERVED']],
    ['bucket--x-s3', ['BUCKET_RESERVED']],
  ])('rejects %j with %j', (bucket, expected) => {
    expect(codes(validateBucketName(bucket))).toEqual(expected);
  });

  it('names the offending characters', () => {
    expect(validateBucketName('my_bucket 1')[0]?.message).toBe(
      'Bucket names contain only lowercase letters, digits and hyphens; remove "_", spaces.',
    );
  });
});

describe('validateRegion', () => {
  it.each(['us-east-1', 'eu-central-2', 'ap-southeast-4', 'us-gov-west-1', 'cn-northwest-1', 'il-central-1'])(
    'accepts AWS region %j',
    (region) => {
      expect(validateRegion(region, 'aws')).toEqual([]);
    },
  );
  it.each(['', 'EU-WEST-1', 'eu-west', 'Europe (Ireland)', 'eu_west_1', 'us-iso-east-1', 'default'])('rejects AWS region %j', (region) => {
    expect(validateRegion(region, 'aws')).toHaveLength(1);
  });
  it.each(['default', 'us-east-1', 'zg_1', 'Zone-A'])('accepts S3-compatible region %j', (region) => {
    expect(validateRegion(region, 's3_compatible')).toEqual([]);
  });
  it.each(['', 'has space', '-lead', 'a/b', 'x'.repeat(65)])('rejects S3-compatible region %j', (region) => {
    expect(validateRegion(region, 's3_compatible')).toHaveLength(1);
  });
});

describe('validateRoleArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/IsolaMediaAccess', 'aws'],
    ['arn:aws:iam::123456789012:role/service-role/team/Isola+Access=1,2.@_-', 'aws'],
    ['arn:aws-us-gov:iam::123456789012:role/x', 'aws'],
    ['arn:aws-cn:iam::123456789012:role/x', 'aws'],
    ['arn:aws:iam:::role/x', 's3_compatible'],
    ['arn:aws:iam::studio_a:role/isola', 's3_compatible'],
    ['arn:aws:iam::123456789012:role/x', 's3_compatible'],
  ] as const)('accepts %j for %s', (arn, provider) => {
    expect(validateRoleArn(arn, provider)).toEqual([]);
    expect(parseRoleArn(arn)).toBeDefined();
  });

  it.each([
    ['', 'aws', ['REQUIRED']],
    ['IsolaMediaAccess', 'aws', ['ROLE_ARN_FORMAT']],
    ['arn:aws:iam::123456789012', 'aws', ['ROLE_ARN_FORMAT']],
    ['arn:azure:iam::123456789012:role/x', 'aws', ['ROLE_ARN_PARTITION']],
    ['arn:aws:sts::123456789012:assumed-role/x/session', 'aws', ['ROLE_ARN_SERVICE']],
    ['arn:aws:s3:::bucket/key', 'aws', ['ROLE_ARN_SERVICE']],
    ['arn:aws:iam:us-east-1:123456789012:role/x', 'aws', ['ROLE_ARN_FORMAT']],
    ['arn:aws:iam:::role/x', 'aws', ['ROLE_ARN_ACCOUNT']],
    ['arn:aws:iam::12345678901:role/x', 'aws', ['ROLE_ARN_ACCOUNT']],
    ['arn:aws:iam::123456789012:user/x', 'aws', ['ROLE_ARN_NOT_A_ROLE']],
    ['arn:aws:iam::123456789012:role/', 'aws', ['ROLE_ARN_NAME']],
    ['arn:aws:iam::123456789012:role/has space', 'aws', ['ROLE_ARN_NAME']],
    ['arn:aws:iam::123456789012:role/' + 'x'.repeat(65), 'aws', ['ROLE_ARN_NAME']],
    ['arn:aws:iam::123456789012:role//x', 'aws', ['ROLE_ARN_PATH']],
    ['arn:aws:iam::bad account:role/x', 's3_compatible', ['ROLE_ARN_ACCOUNT']],
  ] as const)('rejects %j for %s with %j', (arn, provider, expected) => {
    expect(codes(validateRoleArn(arn, provider))).toEqual(expected);
  });

  it('derives the partition, defaulting to aws', () => {
    expect(partitionOfRoleArn('arn:aws-us-gov:iam::123456789012:role/x')).toBe('aws-us-gov');
    expect(partitionOfRoleArn('arn:aws-cn:iam::123456789012:role/x')).toBe('aws-cn');
    expect(partitionOfRoleArn('arn:aws:iam:::role/x')).toBe('aws');
    expect(partitionOfRoleArn('not an arn')).toBe('aws');
    expect(parseRoleArn('arn:aws:iam::123456789012:role/a/b/name')).toEqual({
      partition: 'aws',
      accountId: '123456789012',
      path: '/a/b/',
      roleName: 'name',
    });
  });
});

describe('validateEndpoint', () => {
  it.each([
    ['https://s3.example.com', 's3_compatible', 'https://s3.example.com'],
    ['https://s3.example.com:8443/', 's3_compatible', 'https://s3.example.com:8443'],
    ['https://[2001:db8::1]:443', 's3_compatible', 'https://[2001:db8::1]'],
    ['https://s3.eu-west-1.amazonaws.com', 'aws', 'https://s3.eu-west-1.amazonaws.com'],
    [
      'https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
      'aws',
      'https://bucket.vpce-1a2b3c4d-5e6f.s3.us-east-1.vpce.amazonaws.com',
    ],
    ['https://s3.cn-north-1.amazonaws.com.cn', 'aws', 'https://s3.cn-north-1.amazonaws.com.cn'],
  ] as const)('accepts %j (%s)', (endpoint, provider, origin) => {
    expect(validateEndpoint(endpoint, provider)).toEqual({ issues: [], origin });
  });

  it('is optional for AWS and required for S3-compatible services', () => {
    expect(validateEndpoint('', 'aws')).toEqual({ issues: [] });
    expect(codes(validateEndpoint('', 's3_compatible').issues)).toEqual(['ENDPOINT_REQUIRED']);
  });

  it.each([
    ['s3.example.com', ['ENDPOINT_URL']],
    ['ftp://s3.example.com', ['ENDPOINT_PROTOCOL']],
    ['https://user:secret@s3.example.com', ['ENDPOINT_CREDENTIALS']],
    ['https://s3.example.com/bucket', ['ENDPOINT_PATH']],
    ['https://s3.example.com/?x=1', ['ENDPOINT_QUERY']],
    ['https://s3.example.com#frag', ['ENDPOINT_QUERY']],
    ['https://s3.example.com?', ['ENDPOINT_QUERY']],
    ['http://s3.example.com', ['ENDPOINT_INSECURE']],
    ['https://127.0.0.1:7480', ['ENDPOINT_PRIVATE_HOST']],
    ['https://localhost:7480', ['ENDPOINT_PRIVATE_HOST']],
    ['https://10.1.2.3', ['ENDPOINT_PRIVATE_HOST']],
    ['https://172.20.0.1', ['ENDPOINT_PRIVATE_HOST']],
    ['https://192.168.0.10', ['ENDPOINT_PRIVATE_HOST']],
    ['https://0x7f.1', ['ENDPOINT_PRIVATE_HOST']],
    ['https://[::1]', ['ENDPOINT_PRIVATE_HOST']],
    ['https://[::ffff:127.0.0.1]', ['ENDPOINT_PRIVATE_HOST']],
    ['https://[fd12::1]', ['ENDPOINT_PRIVATE_HOST']],
    ['https://169.254.169.254', ['ENDPOINT_PRIVATE_HOST']],
  ] as const)('rejects %j with %j', (endpoint, expected) => {
    expect(codes(validateEndpoint(endpoint, 's3_compatible').issues)).toEqual(expected);
  });

  it('allows http and private hosts for local development, but never link-local', () => {
    const local = { allowLocalEndpoints: true };
    expect(validateEndpoint('http://127.0.0.1:7480', 's3_compatible', local)).toEqual({ issues: [], origin: 'http://127.0.0.1:7480' });
    expect(validateEndpoint('http://rgw:7480', 's3_compatible', local).origin).toBe('http://rgw:7480');
    expect(codes(validateEndpoint('http://169.254.169.254', 's3_compatible', local).issues)).toEqual(['ENDPOINT_PRIVATE_HOST']);
    expect(codes(validateEndpoint('http://[fd00:ec2::254]', 's3_compatible', local).issues)).toEqual(['ENDPOINT_PRIVATE_HOST']);
    expect(codes(validateEndpoint('https://[fe80::1]', 's3_compatible', local).issues)).toEqual(['ENDPOINT_PRIVATE_HOST']);
  });

  it('accepts only AWS hosts over https for the aws provider', () => {
    expect(codes(validateEndpoint('https://s3.example.com', 'aws').issues)).toEqual(['ENDPOINT_NOT_AWS']);
    expect(codes(validateEndpoint('https://amazonaws.com.evil.com', 'aws').issues)).toEqual(['ENDPOINT_NOT_AWS']);
    expect(codes(validateEndpoint('http://s3.amazonaws.com', 'aws').issues)).toEqual(['ENDPOINT_INSECURE']);
  });

  it('explains path mistakes with the fixed value', () => {
    expect(validateEndpoint('https://s3.example.com/my-bucket', 's3_compatible').issues[0]?.message).toBe(
      'Remove the path "/my-bucket": the endpoint is the service\'s address only ("https://s3.example.com"); the bucket and prefix have their own fields.',
    );
  });
});

describe('validateStoragePrefix', () => {
  it.each([
    ['', 'isolated', []],
    ['', 'hosted', ['PREFIX_REQUIRED']],
    ['tenants/acme', 'hosted', []],
    ['a'.repeat(256), 'isolated', []],
    ['a'.repeat(257), 'isolated', ['PREFIX_LENGTH']],
    ['/a', 'isolated', ['PREFIX_SLASHES']],
    ['a/', 'isolated', ['PREFIX_SLASHES']],
    ['a//b', 'isolated', ['PREFIX_SLASHES']],
    ['/', 'isolated', ['PREFIX_SLASHES']],
    ['a b', 'isolated', ['PREFIX_CHARACTERS']],
    ['media/*', 'isolated', ['PREFIX_CHARACTERS']],
    ['${aws:username}', 'isolated', ['PREFIX_CHARACTERS']],
    ['a/../b', 'isolated', ['PREFIX_SEGMENT']],
    ['.', 'isolated', ['PREFIX_SEGMENT']],
    ['ü', 'isolated', ['PREFIX_CHARACTERS']],
  ] as const)('%j (%s) → %j', (prefix, mode, expected) => {
    expect(codes(validateStoragePrefix(prefix, mode))).toEqual(expected);
  });

  it('suggests the empty prefix for "/"', () => {
    expect(validateStoragePrefix('/', 'isolated')[0]?.message).toBe(
      'Write the prefix without leading, trailing or doubled slashes; leave it empty for the bucket root.',
    );
  });
});

describe('storagePrefixesOverlap', () => {
  it.each([
    ['a', 'a', true],
    ['a', 'a/b', true],
    ['a/b', 'a', true],
    ['', 'a', true],
    ['a', 'ab', false],
    ['tenants/t1', 'tenants/t10', false],
    ['tenants/t1', 'tenants/t2', false],
  ])('%j vs %j → %s', (a, b, overlap) => {
    expect(storagePrefixesOverlap(a, b)).toBe(overlap);
  });
});

describe('validateExternalId', () => {
  it('accepts AWS ExternalId characters and rejects the rest', () => {
    expect(validateExternalId('isola:t1/abc+=,.@-_')).toEqual([]);
    expect(codes(validateExternalId(''))).toEqual(['REQUIRED']);
    expect(codes(validateExternalId('a'))).toEqual(['EXTERNAL_ID_FORMAT']);
    expect(codes(validateExternalId('has space'))).toEqual(['EXTERNAL_ID_FORMAT']);
    expect(codes(validateExternalId('x'.repeat(1225)))).toEqual(['EXTERNAL_ID_FORMAT']);
  });
});
