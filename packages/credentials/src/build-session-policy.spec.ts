import { MAX_MEDIA_ID_LENGTH, MAX_OBJECT_KEY_BYTES, MAX_PREFIX_LENGTH, isValidStoragePrefix, sourceKey } from '@isola/tenant-storage';

import { MAX_SESSION_POLICY_LENGTH, buildSessionPolicy, type SessionPolicyTarget } from './build-session-policy.js';
import type { CredentialScope } from './credential-scope.js';

const TARGET: SessionPolicyTarget = {
  bucket: 'acme-media',
  prefix: 'tenants/acme',
  roleArn: 'arn:aws:iam::123456789012:role/IsolaMediaAccess',
};
const MEDIA = 'm1';
const GRANT = new Date('2030-01-02T03:04:05.678Z');

const policyOf = (scope: CredentialScope, target: SessionPolicyTarget = TARGET) => buildSessionPolicy(target, scope).json;

describe('buildSessionPolicy', () => {
  it('upload: write + tag (the source tag) + multipart on the one source key', () => {
    expect(policyOf({ purpose: 'upload', mediaId: MEDIA, sourceKey: 'tenants/acme/media/m1/source/My Film.mov' })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectTagging","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],' +
        '"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/source/My Film.mov"}]}',
    );
  });

  it('upload: falls back to the media source folder when the key cannot be written literally', () => {
    for (const name of ['café.mov', '日本語.mp4', 'a*b.mp4', 'what?.mp4', '${aws:username}.mp4']) {
      expect(policyOf({ purpose: 'upload', mediaId: MEDIA, sourceKey: `tenants/acme/media/m1/source/${name}` })).toBe(
        '{"Version":"2012-10-17","Statement":[' +
          '{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectTagging","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],' +
          '"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/source/*"}]}',
      );
    }
  });

  it('transcode: read the source, write renditions, both until the grant expires', () => {
    expect(policyOf({ purpose: 'transcode', mediaId: MEDIA, sourceKey: 'tenants/acme/media/m1/source/a.mp4', grantExpiresAt: GRANT })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/source/a.mp4",' +
        '"Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-02T03:04:05Z"}}},' +
        '{"Effect":"Allow","Action":["s3:PutObject","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],' +
        '"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/renditions/*",' +
        '"Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-02T03:04:05Z"}}}]}',
    );
  });

  it('link: read-only on the tenant media prefix', () => {
    expect(policyOf({ purpose: 'link' })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/*"}]}',
    );
  });

  it('migrate: read or write (+ tag the source) one media prefix', () => {
    expect(policyOf({ purpose: 'migrate', side: 'read', mediaId: MEDIA })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/*"}]}',
    );
    expect(policyOf({ purpose: 'migrate', side: 'write', mediaId: MEDIA })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:PutObject","s3:PutObjectTagging","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],' +
        '"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/*"}]}',
    );
  });

  it('delete: DeleteObject on one media prefix', () => {
    expect(policyOf({ purpose: 'delete', mediaId: MEDIA })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:DeleteObject"],"Resource":"arn:aws:s3:::acme-media/tenants/acme/media/m1/*"}]}',
    );
  });

  it('verify: the probe prefix (tagging included), plus read-only bucket CORS, location, policy and encryption', () => {
    expect(policyOf({ purpose: 'verify' })).toBe(
      '{"Version":"2012-10-17","Statement":[' +
        '{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:PutObjectTagging","s3:DeleteObject","s3:AbortMultipartUpload","s3:ListMultipartUploadParts"],' +
        '"Resource":"arn:aws:s3:::acme-media/tenants/acme/.isola-probe/*"},' +
        '{"Effect":"Allow","Action":["s3:GetBucketCORS","s3:GetBucketLocation","s3:GetBucketPolicy","s3:GetEncryptionConfiguration"],' +
        '"Resource":"arn:aws:s3:::acme-media"}]}',
    );
  });

  it('verify: no encryption action for a role outside an AWS account (Ceph RGW refuses the whole AssumeRole over it)', () => {
    for (const roleArn of ['arn:aws:iam:::role/studio-access', 'arn:aws:iam::tenant1:role/studio-access', 'not an arn']) {
      const { document, json } = buildSessionPolicy({ ...TARGET, roleArn }, { purpose: 'verify' });
      expect(json).not.toContain('Encryption');
      expect(document.Statement[1]?.Action).toEqual(['s3:GetBucketCORS', 's3:GetBucketLocation', 's3:GetBucketPolicy']);
    }
  });

  it('has no leading slash with the empty prefix', () => {
    const target = { ...TARGET, prefix: '' };
    expect(buildSessionPolicy(target, { purpose: 'link' }).document.Statement[0]?.Resource).toBe('arn:aws:s3:::acme-media/media/*');
    expect(buildSessionPolicy(target, { purpose: 'verify' }).document.Statement[0]?.Resource).toBe(
      'arn:aws:s3:::acme-media/.isola-probe/*',
    );
    expect(buildSessionPolicy(target, { purpose: 'delete', mediaId: 'm1' }).document.Statement[0]?.Resource).toBe(
      'arn:aws:s3:::acme-media/media/m1/*',
    );
  });

  it('takes the partition from the role ARN', () => {
    const gov = { ...TARGET, roleArn: 'arn:aws-us-gov:iam::123456789012:role/x' };
    const cn = { ...TARGET, roleArn: 'arn:aws-cn:iam::123456789012:role/x' };
    const rgw = { ...TARGET, roleArn: 'arn:aws:iam:::role/x' };
    expect(buildSessionPolicy(gov, { purpose: 'link' }).document.Statement[0]?.Resource).toBe(
      'arn:aws-us-gov:s3:::acme-media/tenants/acme/media/*',
    );
    expect(buildSessionPolicy(cn, { purpose: 'link' }).document.Statement[0]?.Resource).toBe(
      'arn:aws-cn:s3:::acme-media/tenants/acme/media/*',
    );
    expect(buildSessionPolicy(rgw, { purpose: 'link' }).document.Statement[0]?.Resource).toBe(
      'arn:aws:s3:::acme-media/tenants/acme/media/*',
    );
    expect(buildSessionPolicy(gov, { purpose: 'verify' }).document.Statement[1]?.Resource).toBe('arn:aws-us-gov:s3:::acme-media');
  });

  it('returns the document and exactly its compact JSON', () => {
    const policy = buildSessionPolicy(TARGET, { purpose: 'verify' });
    expect(policy.json).toBe(JSON.stringify(policy.document));
    expect(JSON.parse(policy.json)).toEqual(policy.document);
    expect(policy.json).not.toMatch(/\s"|"\s|[\n\t]/);
  });

  it('rounds the grant expiry down to the second', () => {
    const scope = (grantExpiresAt: Date): CredentialScope => ({
      purpose: 'transcode',
      mediaId: MEDIA,
      sourceKey: 'tenants/acme/media/m1/source/a.mp4',
      grantExpiresAt,
    });
    const condition = (date: Date) => buildSessionPolicy(TARGET, scope(date)).document.Statement[0]?.Condition;
    expect(condition(new Date('2030-01-02T03:04:05.999Z'))).toEqual({ DateLessThan: { 'aws:CurrentTime': '2030-01-02T03:04:05Z' } });
    expect(condition(new Date('2030-01-02T03:04:05.000Z'))).toEqual({ DateLessThan: { 'aws:CurrentTime': '2030-01-02T03:04:05Z' } });
    expect(() => condition(new Date('not a date'))).toThrow(RangeError);
  });

  it('never grants ListBucket, and DeleteObject only for delete and verify', () => {
    const scopes: CredentialScope[] = [
      { purpose: 'upload', mediaId: MEDIA, sourceKey: 'tenants/acme/media/m1/source/a.mp4' },
      { purpose: 'transcode', mediaId: MEDIA, sourceKey: 'tenants/acme/media/m1/source/a.mp4', grantExpiresAt: GRANT },
      { purpose: 'link' },
      { purpose: 'migrate', side: 'read', mediaId: MEDIA },
      { purpose: 'migrate', side: 'write', mediaId: MEDIA },
      { purpose: 'delete', mediaId: MEDIA },
      { purpose: 'verify' },
    ];
    for (const scope of scopes) {
      const { document, json } = buildSessionPolicy(TARGET, scope);
      expect(json).not.toContain('ListBucket');
      expect(json).not.toMatch(/"s3:\*"|"\*"/);
      const deletes = document.Statement.some((s) => s.Action.includes('s3:DeleteObject'));
      expect(deletes).toBe(scope.purpose === 'delete' || scope.purpose === 'verify');
      for (const statement of document.Statement) {
        expect(statement.Effect).toBe('Allow');
        expect(statement.Resource.startsWith('arn:aws:s3:::acme-media')).toBe(true);
      }
    }
  });

  it('refuses keys outside the media source folder and invalid inputs', () => {
    const upload = (sourceKey: string, mediaId = MEDIA): CredentialScope => ({ purpose: 'upload', mediaId, sourceKey });
    expect(() => policyOf(upload('tenants/acme/media/m2/source/a.mp4'))).toThrow(RangeError);
    expect(() => policyOf(upload('tenants/acme/media/m1/renditions/a.mp4'))).toThrow(RangeError);
    expect(() => policyOf(upload('tenants/acme/media/m1/source/../../m2/source/a.mp4'))).toThrow(RangeError);
    expect(() => policyOf(upload('tenants/acme/media/m1/source/'))).toThrow(RangeError);
    expect(() => policyOf(upload('other/media/m1/source/a.mp4'))).toThrow(RangeError);
    expect(() => policyOf(upload(`tenants/acme/media/m1/source/${'x'.repeat(1024)}`))).toThrow(RangeError);
    expect(() => policyOf({ purpose: 'delete', mediaId: '*' })).toThrow(RangeError);
    expect(() => policyOf({ purpose: 'migrate', side: 'read', mediaId: '../m2' })).toThrow(RangeError);
    expect(() => policyOf({ purpose: 'link' }, { ...TARGET, bucket: 'my.bucket' })).toThrow(RangeError);
    expect(() => policyOf({ purpose: 'link' }, { ...TARGET, prefix: 'a/*' })).toThrow(RangeError);
    expect(() => policyOf({ purpose: 'link' }, { ...TARGET, prefix: '/a' })).toThrow(RangeError);
  });

  describe(`stays within ${MAX_SESSION_POLICY_LENGTH} characters for worst-case inputs`, () => {
    // 63-character bucket, 256-character prefix, 64-character media id, longest partition, and a
    // 1,024-byte key (longer than sourceKey() ever builds: its filename stops at 255 bytes).
    const prefix = 'tenants/' + 'x'.repeat(MAX_PREFIX_LENGTH - 'tenants/'.length);
    const target: SessionPolicyTarget = {
      bucket: 'b'.repeat(63),
      prefix,
      roleArn: 'arn:aws-us-gov:iam::123456789012:role/a/very/long/path/' + 'r'.repeat(64),
    };
    const mediaId = 'm'.repeat(MAX_MEDIA_ID_LENGTH);
    const folder = `${prefix}/media/${mediaId}/source/`;
    const asciiKey = folder + 'k'.repeat(MAX_OBJECT_KEY_BYTES - folder.length);
    const unicodeKey = sourceKey(prefix, mediaId, '😀'.repeat(1000) + '.mov');
    const longestBuiltKey = sourceKey(prefix, mediaId, 'x'.repeat(5000) + '.mp4');
    const grantExpiresAt = new Date('2099-12-31T23:59:59.999Z');

    it('uses inputs at their limits', () => {
      expect(isValidStoragePrefix(prefix)).toBe(true);
      expect(prefix).toHaveLength(MAX_PREFIX_LENGTH);
      expect(asciiKey).toHaveLength(MAX_OBJECT_KEY_BYTES);
    });

    const worstCases: [string, CredentialScope, number][] = [
      ['upload, 1,024-character key', { purpose: 'upload', mediaId, sourceKey: asciiKey }, 1283],
      ['upload, longest key sourceKey() builds', { purpose: 'upload', mediaId, sourceKey: longestBuiltKey }, 849],
      ['upload, Unicode key', { purpose: 'upload', mediaId, sourceKey: unicodeKey }, 595],
      ['transcode, 1,024-character key', { purpose: 'transcode', mediaId, sourceKey: asciiKey, grantExpiresAt }, 1888],
      ['transcode, Unicode key', { purpose: 'transcode', mediaId, sourceKey: unicodeKey, grantExpiresAt }, 1200],
      ['link', { purpose: 'link' }, 445],
      ['migrate read', { purpose: 'migrate', side: 'read', mediaId }, 510],
      ['migrate write', { purpose: 'migrate', side: 'write', mediaId }, 588],
      ['delete', { purpose: 'delete', mediaId }, 513],
      ['verify', { purpose: 'verify' }, 785],
    ];

    it.each(worstCases)('%s', (_label, scope, expectedLength) => {
      const { json } = buildSessionPolicy(target, scope);
      expect(json.length).toBe(expectedLength);
      expect(json.length).toBeLessThanOrEqual(MAX_SESSION_POLICY_LENGTH);
      expect(json).toMatch(/^[\x20-\x7e]+$/); // STS's Policy charset, without relying on JSON escapes
    });
  });
});
