import { sourceKey } from '@isola/tenant-storage';

import { buildSessionPolicy } from './build-session-policy.js';
import { policyKeys } from './policy-keys.js';

const target = { bucket: 'studio-media', prefix: 'isola', roleArn: 'arn:aws-us-gov:iam::123456789012:role/r' };

describe('policyKeys', () => {
  it('lists the exact keys and prefixes a session policy allows, not bucket resources', () => {
    const key = sourceKey('isola', 'm1', 'clip.mp4');
    expect(policyKeys(buildSessionPolicy(target, { purpose: 'upload', mediaId: 'm1', sourceKey: key }).document)).toEqual([key]);
    expect(policyKeys(buildSessionPolicy(target, { purpose: 'link' }).document)).toEqual(['isola/media/*']);
    expect(policyKeys(buildSessionPolicy(target, { purpose: 'verify' }).document)).toEqual(['isola/.isola-probe/*']);
    expect(policyKeys(buildSessionPolicy(target, { purpose: 'migrate', side: 'read', mediaId: 'm1' }).document)).toEqual([
      'isola/media/m1/*',
    ]);
  });
});
