import type { StorageProvider } from '@isola/tenant-storage';

export type BucketRegionVerdict =
  { matches: true; detail: string } | { matches: false; /** The region to configure instead. */ bucketRegion: string; detail: string };

/**
 * Whether GetBucketLocation's answer matches the target's region.
 *
 * - AWS names us-east-1 with an empty LocationConstraint and eu-west-1 with the legacy `EU`.
 * - Ceph RGW answers with its zonegroup's API name: `default` on a stock single-zone gateway
 *   (measured on RGW 16; also `''` when the zonegroup has no API name). Such a gateway serves every
 *   region name a request is signed for, so it matches any configured region. A named zonegroup
 *   must be the target's region.
 */
export function checkBucketRegion(provider: StorageProvider, targetRegion: string, locationConstraint: string): BucketRegionVerdict {
  if (provider === 's3_compatible') {
    if (locationConstraint === '' || locationConstraint === 'default') {
      return {
        matches: true,
        detail: `The service reports its default zonegroup (${JSON.stringify(locationConstraint)}), which serves any region name; requests are signed for ${targetRegion}.`,
      };
    }
  }
  const bucketRegion = provider === 'aws' ? awsRegionOf(locationConstraint) : locationConstraint;
  if (bucketRegion === targetRegion) return { matches: true, detail: `The bucket is in ${bucketRegion}, as configured.` };
  return {
    matches: false,
    bucketRegion,
    detail: `The bucket is in ${bucketRegion}, but the target is configured for ${targetRegion}.`,
  };
}

function awsRegionOf(locationConstraint: string): string {
  if (locationConstraint === '') return 'us-east-1';
  if (locationConstraint === 'EU') return 'eu-west-1';
  return locationConstraint;
}
