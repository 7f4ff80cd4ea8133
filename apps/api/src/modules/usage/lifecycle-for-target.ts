import { tenantMediaPrefix } from '@isola/tenant-storage';
import type { TargetFacts } from './estimate-usage.js';

/** PLACEHOLDER until the setup kit's lifecycle renderer lands: replaced by it. */
export function lifecycleForTarget(
  target: TargetFacts,
  transitionSourcesAfterDays: number | undefined,
): { Rules: Record<string, unknown>[] } {
  const prefix = tenantMediaPrefix(target.prefix);
  const rules: Record<string, unknown>[] = [
    {
      ID: 'isola-abort-incomplete-multipart',
      Status: 'Enabled',
      Filter: { Prefix: prefix },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    },
  ];
  if (transitionSourcesAfterDays !== undefined) {
    rules.push({
      ID: 'isola-sources-to-ia',
      Status: 'Enabled',
      Filter: { Prefix: prefix },
      Transitions: [{ Days: transitionSourcesAfterDays, StorageClass: 'STANDARD_IA' }],
    });
  }
  return { Rules: rules };
}
