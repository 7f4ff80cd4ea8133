import { hasTlsOnlyDeny } from './tls-only-policy.js';

const statement = (overrides: Record<string, unknown> = {}) => ({
  Sid: 'TlsOnly',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::acme-media', 'arn:aws:s3:::acme-media/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  ...overrides,
});
const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('hasTlsOnlyDeny', () => {
  it("finds the setup kit's statement among others, in its usual spellings", () => {
    const other = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::1:root' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-media/*',
    };
    expect(hasTlsOnlyDeny(policy(other, statement()), 'acme-media')).toBe(true);
    expect(hasTlsOnlyDeny(JSON.stringify({ Statement: statement() }), 'acme-media')).toBe(true);
    expect(hasTlsOnlyDeny(policy(statement({ Principal: { AWS: ['*'] }, Action: ['*'] })), 'acme-media')).toBe(true);
    expect(hasTlsOnlyDeny(policy(statement({ Condition: { bool: { 'AWS:SecureTransport': false } } })), 'acme-media')).toBe(true);
    expect(hasTlsOnlyDeny(policy(statement({ Resource: 'arn:aws-cn:s3:::acme-media/*' })), 'acme-media')).toBe(true);
  });

  it('refuses statements that do not make the bucket TLS-only', () => {
    expect(hasTlsOnlyDeny(policy(statement({ Effect: 'Allow' })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny(policy(statement({ Principal: { AWS: 'arn:aws:iam::1:root' } })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny(policy(statement({ Action: 's3:PutObject' })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny(policy(statement({ Resource: 'arn:aws:s3:::acme-media' })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny(policy(statement({ Resource: 'arn:aws:s3:::other-bucket/*' })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny(policy(statement({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny(policy(statement({ Condition: undefined })), 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny('not json', 'acme-media')).toBe(false);
    expect(hasTlsOnlyDeny('null', 'acme-media')).toBe(false);
  });
});
