import { StorageErrorCode, isStorageError, s3Location, type StorageError } from '@isola/tenant-storage';
import type { BucketReads } from './bucket-inspector.port.js';
import { checkBucketRegion } from './bucket-region.js';
import {
  RGW_ENCRYPTION_REASON,
  bucketMissingHint,
  encryptionMissingHint,
  missingBucketPermission,
  regionMismatchHint,
  tlsOnlyHint,
  tryAgainHint,
} from './fix-hints.js';
import type { ConnectionTestStepDefinition, StepOutcome } from './run-connection-test.js';
import { hasTlsOnlyDeny } from './tls-only-policy.js';
import { credentialsOf, type VerifyPorts, type VerifyRun } from './verify-run.js';

/** The run's bucket reads, opened once with the verify credential. */
function readsOf(run: VerifyRun, { inspector }: VerifyPorts): BucketReads {
  run.bucket ??= inspector.open(run.target, credentialsOf(run));
  return run.bucket;
}

/** 3. The bucket exists and is in the target's region (GetBucketLocation: HeadBucket would need s3:ListBucket). */
export function bucketStep(ports: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'bucket',
    title: "Bucket exists in the target's region",
    needs: ['assume-role'],
    async run(run) {
      const { target } = run;
      let location: string;
      try {
        location = await readsOf(run, ports).location();
      } catch (error) {
        if (!isStorageError(error)) throw error;
        switch (error.code) {
          case StorageErrorCode.BUCKET_NOT_FOUND:
            return { outcome: 'fail', detail: `The bucket ${target.bucket} does not exist.`, hint: bucketMissingHint(target) };
          case StorageErrorCode.PERMISSION_DENIED:
            return {
              outcome: 'fail',
              detail: `GetBucketLocation on ${target.bucket} was denied.`,
              hint: `${missingBucketPermission(target, 's3:GetBucketLocation')} (AWS also denies it for a bucket another account owns: check the bucket name.)`,
            };
          default:
            return otherFailure(run, error, `Set the target's region to the bucket's region, and check its bucket name and endpoint.`);
        }
      }
      const verdict = checkBucketRegion(target.provider, target.region, location);
      if (verdict.matches) return { outcome: 'pass', detail: `Bucket ${target.bucket} found. ${verdict.detail}` };
      return { outcome: 'fail', detail: verdict.detail, hint: regionMismatchHint(verdict.bucketRegion) };
    },
  };
}

/**
 * 7. Default encryption is configured. S3-compatible services may not have it (Ceph RGW 16 does not):
 * there it is a documented warning, not a failure.
 */
export function encryptionStep(ports: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'encryption',
    title: 'Default encryption',
    needs: ['bucket'],
    async run(run) {
      const { target } = run;
      const compatible = target.provider === 's3_compatible';
      let algorithms: string[];
      try {
        algorithms = await readsOf(run, ports).encryption();
      } catch (error) {
        if (!isStorageError(error)) throw error;
        if (compatible && !error.retryable) {
          return {
            outcome: 'warn',
            detail: `Default encryption could not be read: ${error.message} ${RGW_ENCRYPTION_REASON}`,
            hint: 'Rely on the storage service’s own at-rest encryption (e.g. encrypted OSDs); with AWS S3 the test checks it.',
          };
        }
        if (error.code === StorageErrorCode.PERMISSION_DENIED) {
          return {
            outcome: 'fail',
            detail: `GetBucketEncryption on ${target.bucket} was denied.`,
            hint: missingBucketPermission(target, 's3:GetEncryptionConfiguration'),
          };
        }
        return otherFailure(run, error, encryptionMissingHint(target));
      }
      if (algorithms.length > 0) return { outcome: 'pass', detail: `Objects are encrypted by default (${algorithms.join(', ')}).` };
      if (compatible) {
        return {
          outcome: 'warn',
          detail: `No default encryption is configured. ${RGW_ENCRYPTION_REASON}`,
          hint: 'Rely on the storage service’s own at-rest encryption (e.g. encrypted OSDs); with AWS S3 the test checks it.',
        };
      }
      return { outcome: 'fail', detail: `Bucket ${target.bucket} has no default encryption.`, hint: encryptionMissingHint(target) };
    },
  };
}

/**
 * 8. A bucket policy denies requests without TLS. Over a plain-HTTP endpoint (local development only:
 * target validation refuses http:// in production) TLS cannot be required — Ceph RGW does not
 * enforce `aws:SecureTransport` there — so that is a documented warning.
 */
export function tlsOnlyStep(ports: VerifyPorts): ConnectionTestStepDefinition<VerifyRun> {
  return {
    id: 'tls-only',
    title: 'TLS-only bucket policy',
    needs: ['bucket'],
    async run(run) {
      const { target } = run;
      let present: boolean | undefined;
      let unreadable: StorageError | undefined;
      try {
        const policy = await readsOf(run, ports).policy();
        present = policy !== null && hasTlsOnlyDeny(policy, target.bucket);
      } catch (error) {
        if (!isStorageError(error)) throw error;
        unreadable = error;
      }

      if (s3Location(target, true).protocol === 'http:') {
        const policyNote =
          present === true
            ? 'The bucket policy has the TLS-only Deny, but '
            : present === false
              ? 'The bucket policy has no TLS-only Deny, and '
              : `The bucket policy could not be read (${unreadable?.message ?? 'unknown'}), and `;
        return {
          outcome: 'warn',
          detail: `${policyNote}the endpoint ${target.endpoint ?? ''} is plain HTTP: TLS cannot be required on it (Ceph RGW does not enforce aws:SecureTransport over plain HTTP).`,
          hint: 'Plain HTTP is accepted for local development only; production targets use an https:// endpoint and the setup kit’s TLS-only bucket policy.',
        };
      }
      if (present === true) return { outcome: 'pass', detail: 'The bucket policy denies every request made without TLS.' };
      if (present === false) {
        return {
          outcome: 'fail',
          detail: `The bucket policy of ${target.bucket} does not deny requests made without TLS.`,
          hint: tlsOnlyHint(target),
        };
      }
      if (unreadable?.code === StorageErrorCode.PERMISSION_DENIED) {
        return {
          outcome: 'fail',
          detail: `GetBucketPolicy on ${target.bucket} was denied.`,
          hint: missingBucketPermission(target, 's3:GetBucketPolicy'),
        };
      }
      return otherFailure(run, unreadable, tlsOnlyHint(target));
    },
  };
}

/** Any other storage error: transient ones say "try again", the rest keep the error's own explanation. */
function otherFailure(run: VerifyRun, error: StorageError | undefined, hint: string): StepOutcome {
  const detail = error?.message ?? 'The storage service gave no usable answer.';
  return { outcome: 'fail', detail, hint: error?.retryable ? tryAgainHint(run.target) : hint };
}
