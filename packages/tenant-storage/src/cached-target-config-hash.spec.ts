import { cachedTargetConfigHash } from './cached-target-config-hash.js';
import type { StorageTargetRef } from './storage-target.js';
import { targetConfigHash } from './target-config-hash.js';

const target = (): StorageTargetRef => ({
  id: 't1',
  tenantId: 'tenant',
  mode: 'isolated',
  provider: 'aws',
  region: 'eu-west-1',
  bucket: 'bucket-a',
  prefix: '',
  roleArn: 'arn:aws:iam::123456789012:role/r',
  externalId: 'e1',
});

describe('cachedTargetConfigHash', () => {
  it('equals targetConfigHash', () => {
    const t = target();
    expect(cachedTargetConfigHash(t)).toBe(targetConfigHash(t));
    expect(cachedTargetConfigHash(t)).toBe(targetConfigHash(t));
  });

  it('notices a target changed in place', () => {
    const t = target();
    const before = cachedTargetConfigHash(t);
    t.externalId = 'e2';
    expect(cachedTargetConfigHash(t)).not.toBe(before);
    expect(cachedTargetConfigHash(t)).toBe(targetConfigHash(t));
    t.endpoint = 'https://s3.example.com';
    expect(cachedTargetConfigHash(t)).toBe(targetConfigHash(t));
  });
});
