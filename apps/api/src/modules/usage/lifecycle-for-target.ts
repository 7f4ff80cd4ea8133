import { buildBucketLifecycle, type BucketLifecycleConfiguration } from '@isola/tenant-storage';
import type { TargetFacts } from './estimate-usage.js';

/** The setup kit's lifecycle rules for a target: always the abort rule, the IA transition when asked for. */
export function lifecycleForTarget(target: TargetFacts, transitionSourcesAfterDays: number | undefined): BucketLifecycleConfiguration {
  return buildBucketLifecycle({ prefix: target.prefix, sourceIaDays: transitionSourcesAfterDays ?? 0 });
}
