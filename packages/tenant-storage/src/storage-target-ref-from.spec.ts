import { storageTargetRefFrom } from './storage-target-ref-from.js';

describe('storageTargetRefFrom', () => {
  const row = {
    id: 't1',
    tenantId: 'a',
    mode: 'isolated' as const,
    provider: 's3_compatible' as const,
    endpoint: 'http://127.0.0.1:7480',
    region: 'us-east-1',
    bucket: 'studio-media',
    prefix: '',
    roleArn: 'arn:aws:iam:::role/studio',
    externalId: 'x'.repeat(32),
  };

  it('keeps the connection fields and drops a null endpoint (AWS: the SDK picks it)', () => {
    expect(storageTargetRefFrom(row)).toEqual(row);
    expect(storageTargetRefFrom({ ...row, provider: 'aws', endpoint: null })).not.toHaveProperty('endpoint');
  });
});
