import type { StorageTargetRef } from '@isola/tenant-storage';

import { credentialCacheKey, scopeKey, type CredentialScope } from './credential-scope.js';

const GRANT = new Date('2030-01-02T03:04:05.678Z');

describe('scopeKey', () => {
  it.each<[CredentialScope, string]>([
    [{ purpose: 'upload', mediaId: 'm1', sourceKey: 'p/media/m1/source/My Film.mov' }, 'upload:m1:p%2Fmedia%2Fm1%2Fsource%2FMy%20Film.mov'],
    [
      { purpose: 'transcode', mediaId: 'm1', sourceKey: 'p/media/m1/source/a.mp4', grantExpiresAt: GRANT },
      'transcode:m1:2030-01-02T03%3A04%3A05.678Z:p%2Fmedia%2Fm1%2Fsource%2Fa.mp4',
    ],
    [{ purpose: 'link' }, 'link'],
    [{ purpose: 'migrate', side: 'read', mediaId: 'm1' }, 'migrate:read:m1'],
    [{ purpose: 'migrate', side: 'write', mediaId: 'm1' }, 'migrate:write:m1'],
    [{ purpose: 'delete', mediaId: 'm1' }, 'delete:m1'],
    [{ purpose: 'verify' }, 'verify'],
  ])('%j → %s', (scope, key) => {
    expect(scopeKey(scope)).toBe(key);
  });

  it('does not depend on property order', () => {
    const a: CredentialScope = { purpose: 'migrate', side: 'read', mediaId: 'm1' };
    const b = { mediaId: 'm1', side: 'read', purpose: 'migrate' } as CredentialScope;
    expect(scopeKey(a)).toBe(scopeKey(b));
  });

  it('keeps scopes that differ in any field apart, even with separators in keys', () => {
    const scopes: CredentialScope[] = [
      { purpose: 'upload', mediaId: 'm1', sourceKey: 'p/media/m1/source/a:b' },
      { purpose: 'upload', mediaId: 'm1', sourceKey: 'p/media/m1/source/a' },
      { purpose: 'transcode', mediaId: 'm1', sourceKey: 'p/media/m1/source/a', grantExpiresAt: GRANT },
      { purpose: 'transcode', mediaId: 'm1', sourceKey: 'p/media/m1/source/a', grantExpiresAt: new Date(GRANT.getTime() + 1) },
      { purpose: 'migrate', side: 'read', mediaId: 'm1' },
      { purpose: 'migrate', side: 'write', mediaId: 'm1' },
      { purpose: 'delete', mediaId: 'm1' },
      { purpose: 'delete', mediaId: 'm2' },
      { purpose: 'link' },
      { purpose: 'verify' },
    ];
    expect(new Set(scopes.map(scopeKey)).size).toBe(scopes.length);
  });
});

describe('credentialCacheKey', () => {
  const target: StorageTargetRef = {
    id: 't1',
    tenantId: 'tenant-1',
    mode: 'isolated',
    provider: 'aws',
    region: 'eu-west-1',
    bucket: 'acme-media',
    prefix: '',
    roleArn: 'arn:aws:iam::123456789012:role/x',
    externalId: 'ext-1',
  };

  it('combines the target config hash and the scope', () => {
    expect(credentialCacheKey(target, { purpose: 'link' })).toMatch(/^[0-9a-f]{64}:link$/);
  });

  it('misses when the connection changes', () => {
    const key = credentialCacheKey(target, { purpose: 'link' });
    expect(credentialCacheKey({ ...target, externalId: 'ext-2' }, { purpose: 'link' })).not.toBe(key);
    expect(credentialCacheKey({ ...target, roleArn: 'arn:aws:iam::123456789012:role/y' }, { purpose: 'link' })).not.toBe(key);
    expect(credentialCacheKey({ ...target, tenantId: 'tenant-2' }, { purpose: 'link' })).not.toBe(key);
    expect(credentialCacheKey({ ...target, id: 't2' }, { purpose: 'link' })).toBe(key);
  });
});
