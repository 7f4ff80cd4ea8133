import { z } from 'zod';

/**
 * The connection test a tenant admin runs on a storage target (POST /api/tenant/storage/targets/:id/verify,
 * issue 6): real calls made with a `verify` credential, each step reported with a fix hint. The
 * result is stored with the target (`lastCheckResult`, `lastCheckAt`).
 */

/** The steps, in the order they run. */
export const connectionTestStepIds = [
  /** AssumeRole with the target's ExternalId. */
  'assume-role',
  /** AssumeRole WITHOUT the ExternalId must be refused (confused-deputy guard). */
  'external-id-guard',
  /** The bucket exists and is in the target's region (GetBucketLocation). */
  'bucket',
  /** Put, read back (bytes compared) and delete a probe object under the probe prefix. */
  'object-roundtrip',
  /** CreateMultipartUpload + AbortMultipartUpload under the probe prefix. */
  'multipart',
  /** A CORS preflight from the site's origin: PUT allowed, ETag exposed. */
  'cors',
  /** Default encryption configured on the bucket (GetBucketEncryption). */
  'encryption',
  /** A bucket policy denying requests without TLS (aws:SecureTransport = false). */
  'tls-only',
] as const;
export type ConnectionTestStepId = (typeof connectionTestStepIds)[number];

/**
 * - `pass`: checked and fine;
 * - `warn`: works, but something is missing or could not be checked (the detail says which and why);
 * - `fail`: Isola cannot work with the target as it is (the hint says what to change);
 * - `skipped`: not run, because a step it depends on failed or was skipped.
 */
export const connectionTestOutcomes = ['pass', 'warn', 'fail', 'skipped'] as const;
export type ConnectionTestOutcome = (typeof connectionTestOutcomes)[number];

export const connectionTestStepSchema = z.object({
  id: z.enum(connectionTestStepIds),
  title: z.string(),
  outcome: z.enum(connectionTestOutcomes),
  /** What was observed, for people (no credentials, tokens or presigned URLs). */
  detail: z.string(),
  /** How to fix it: present on `fail` and on most `warn`s. */
  hint: z.string().optional(),
  durationMs: z.number().int().nonnegative(),
});
export type ConnectionTestStep = z.infer<typeof connectionTestStepSchema>;

/** What is stored in StorageTarget.lastCheckResult. `ok` = no step failed (warnings allowed). */
export const connectionTestResultSchema = z.object({
  steps: z.array(connectionTestStepSchema),
  ranAt: z.iso.datetime(),
  ok: z.boolean(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

/** Answer of POST …/targets/:id/verify: the result and the target's status afterwards. */
export const verifyTargetResponseSchema = connectionTestResultSchema.extend({
  targetId: z.uuid(),
  status: z.enum(['pending', 'verified', 'active', 'revoked', 'retired']),
});
export type VerifyTargetResponse = z.infer<typeof verifyTargetResponseSchema>;

export const ConnectionTestErrorCode = {
  /** No target with this id in the caller's studio (another studio's ids are not found either). */
  TargetNotFound: 'STORAGE_TARGET_NOT_FOUND',
  /** A connection test of this target is already running. */
  TestInProgress: 'CONNECTION_TEST_IN_PROGRESS',
} as const;
export type ConnectionTestErrorCode = (typeof ConnectionTestErrorCode)[keyof typeof ConnectionTestErrorCode];
