import { MEDIA_SEGMENT } from '../object-keys.js';
import { keyPrefix, type CheckedSetupKitInput } from './setup-kit-input.js';

/** S3's lifecycle configuration in the API's JSON form (PutBucketLifecycleConfiguration). */
export interface BucketLifecycleConfiguration {
  Rules: BucketLifecycleRule[];
}

export interface LifecycleTag {
  Key: string;
  Value: string;
}

export type BucketLifecycleRule =
  | {
      ID: string;
      Status: 'Enabled';
      Filter: { Prefix: string };
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: number };
    }
  | {
      ID: string;
      Status: 'Enabled';
      Filter: { And: { Prefix: string; Tags: LifecycleTag[] } };
      Transitions: Array<{ Days: number; StorageClass: 'STANDARD_IA' }>;
    };

export const ABORT_RULE_ID = 'isola-abort-incomplete-multipart-uploads';
export const SOURCES_TO_IA_RULE_ID = 'isola-sources-to-standard-ia';
export const ABORT_INCOMPLETE_AFTER_DAYS = 1;

/**
 * The tag that marks an object as a media's uploaded original. Lifecycle filters match a key prefix,
 * never a pattern, and sources sit at `<prefix>/media/<id>/source/…` — beside their renditions, under
 * a per-media folder — so a prefix alone cannot tell them apart: the rule matches this tag.
 */
export const SOURCE_TAG: LifecycleTag = { Key: 'isola-object-kind', Value: 'source' };

/**
 * - Abort multipart uploads left incomplete for a day under the prefix (abandoned browser uploads
 *   otherwise keep their parts, billed, forever).
 * - Optionally, move sources (tagged {@link SOURCE_TAG}) to STANDARD_IA: originals are read rarely
 *   after review; renditions stay in STANDARD because players read them.
 */
export function buildBucketLifecycle(input: Pick<CheckedSetupKitInput, 'prefix' | 'sourceIaDays'>): BucketLifecycleConfiguration {
  const rules: BucketLifecycleRule[] = [
    {
      ID: ABORT_RULE_ID,
      Status: 'Enabled',
      Filter: { Prefix: keyPrefix(input.prefix) },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_INCOMPLETE_AFTER_DAYS },
    },
  ];
  if (input.sourceIaDays > 0) {
    rules.push({
      ID: SOURCES_TO_IA_RULE_ID,
      Status: 'Enabled',
      Filter: { And: { Prefix: `${keyPrefix(input.prefix)}${MEDIA_SEGMENT}/`, Tags: [{ ...SOURCE_TAG }] } },
      Transitions: [{ Days: input.sourceIaDays, StorageClass: 'STANDARD_IA' }],
    });
  }
  return { Rules: rules };
}
