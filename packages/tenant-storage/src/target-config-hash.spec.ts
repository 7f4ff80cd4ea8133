import type { StorageTargetRef } from './storage-target.js';
import { targetConfigHash } from './target-config-hash.js';

const TARGET: StorageTargetRef = {
  id: 'target-1',
  tenantId: 'tenant-1',
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'default',
  bucket: 'studio-a',
  prefix: '',
  roleArn: 'arn:aws:iam:::role/isola',
  externalId: 'ext-1',
};

describe('targetConfigHash', () => {
  it('is a stable sha256 hex digest', () => {
    const hash = targetConfigHash(TARGET);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(targetConfigHash({ ...TARGET })).toBe(hash);
    // Property order does not matter.
    const reordered = Object.fromEntries(Object.entries(TARGET).reverse()) as unknown as StorageTargetRef;
    expect(targetConfigHash(reordered)).toBe(hash);
  });

  it('ignores the row id', () => {
    expect(targetConfigHash({ ...TARGET, id: 'target-2' })).toBe(targetConfigHash(TARGET));
  });

  it('treats a missing and an empty endpoint alike', () => {
    const { endpoint: _endpoint, ...withoutEndpoint } = TARGET;
    expect(targetConfigHash(withoutEndpoint)).toBe(targetConfigHash({ ...TARGET, endpoint: '' }));
  });

  it.each(['tenantId', 'mode', 'provider', 'endpoint', 'region', 'bucket', 'prefix', 'roleArn', 'externalId'] as const)(
    'changes when %s changes',
    (field) => {
      const changed = { ...TARGET, [field]: field === 'mode' ? 'hosted' : field === 'provider' ? 'aws' : `${TARGET[field] ?? ''}x` };
      expect(targetConfigHash(changed)).not.toBe(targetConfigHash(TARGET));
    },
  );

  it('cannot be confused by values that contain separators', () => {
    expect(targetConfigHash({ ...TARGET, bucket: 'a', prefix: 'b","c' })).not.toBe(
      targetConfigHash({ ...TARGET, bucket: 'a","b', prefix: 'c' }),
    );
  });
});
