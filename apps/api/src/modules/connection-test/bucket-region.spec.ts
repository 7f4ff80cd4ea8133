import { checkBucketRegion } from './bucket-region.js';

describe('checkBucketRegion', () => {
  it('reads AWS legacy location names', () => {
    expect(checkBucketRegion('aws', 'us-east-1', '')).toMatchObject({ matches: true });
    expect(checkBucketRegion('aws', 'eu-west-1', 'EU')).toMatchObject({ matches: true });
    expect(checkBucketRegion('aws', 'eu-west-3', 'eu-west-3')).toMatchObject({
      matches: true,
      detail: 'The bucket is in eu-west-3, as configured.',
    });
  });

  it('names the bucket region on a mismatch', () => {
    expect(checkBucketRegion('aws', 'eu-west-3', '')).toEqual({
      matches: false,
      bucketRegion: 'us-east-1',
      detail: 'The bucket is in us-east-1, but the target is configured for eu-west-3.',
    });
    expect(checkBucketRegion('aws', 'us-east-1', 'default')).toMatchObject({ matches: false, bucketRegion: 'default' });
  });

  it("accepts Ceph RGW's default zonegroup for any region, and compares a named one", () => {
    expect(checkBucketRegion('s3_compatible', 'us-east-1', 'default')).toMatchObject({ matches: true });
    expect(checkBucketRegion('s3_compatible', 'eu-central-1', '')).toMatchObject({ matches: true });
    expect(checkBucketRegion('s3_compatible', 'zg-paris', 'zg-paris')).toMatchObject({ matches: true });
    expect(checkBucketRegion('s3_compatible', 'us-east-1', 'zg-paris')).toMatchObject({ matches: false, bucketRegion: 'zg-paris' });
  });
});
