import {
  isKeyInMediaSourcePrefix,
  isValidMediaId,
  isValidStoragePrefix,
  mediaPrefix,
  mediaSourcePrefix,
  parseRoleArn,
  partitionOfRoleArn,
  probePrefix,
  renditionsPrefix,
  tenantMediaPrefix,
  type StorageTargetRef,
} from '@isola/tenant-storage';

import type { CredentialScope } from './credential-scope.js';

/**
 * Session policies: the inline policy passed to AssumeRole, which narrows each temporary credential
 * to one purpose. The effective permissions are the intersection with the studio's role policy, so
 * these never grant more than the role — they only take away.
 *
 * Length. AWS refuses session policies over 2,048 characters (RGW does not check; tests assert it
 * for worst-case inputs). Every variable part is bounded: bucket ≤ 63, prefix ≤ 256 (ASCII, checked
 * by target validation), media id ≤ 64, partition ≤ 10, and an object key appears only for
 * `upload`/`transcode` and only when it is ≤ 1,024 characters of printable ASCII (see
 * `sourceResource`). The largest policy — `transcode` in `aws-us-gov` with a 1,024-character key —
 * is 1,888 characters.
 *
 * Compact JSON, fixed key order, no Sid: what is hashed, cached and logged is deterministic.
 */

export const MAX_SESSION_POLICY_LENGTH = 2048;

export type SessionPolicyAction =
  | 's3:GetObject'
  | 's3:PutObject'
  | 's3:PutObjectTagging'
  | 's3:AbortMultipartUpload'
  | 's3:ListMultipartUploadParts'
  | 's3:DeleteObject'
  | 's3:GetBucketCORS'
  | 's3:GetBucketLocation'
  | 's3:GetBucketPolicy'
  | 's3:GetEncryptionConfiguration';

export interface SessionPolicyStatement {
  Effect: 'Allow';
  Action: SessionPolicyAction[];
  Resource: string;
  Condition?: { DateLessThan: { 'aws:CurrentTime': string } };
}

export interface SessionPolicyDocument {
  Version: '2012-10-17';
  Statement: SessionPolicyStatement[];
}

export interface SessionPolicy {
  document: SessionPolicyDocument;
  /** `JSON.stringify(document)`: no whitespace, what AssumeRole's `Policy` receives. */
  json: string;
}

export type SessionPolicyTarget = Pick<StorageTargetRef, 'bucket' | 'prefix' | 'roleArn'>;

// Writing an object (simple or multipart). CreateMultipartUpload, UploadPart and
// CompleteMultipartUpload are all authorised by s3:PutObject.
const WRITE: SessionPolicyAction[] = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
// Writing a source: also tagging it `isola-object-kind=source` (SOURCE_TAG, which the setup kit's
// sources-to-Infrequent-Access lifecycle rule matches). An upload tags the source once it is
// assembled (Ceph RGW 16 drops tags given at CreateMultipartUpload); a migration writes the tag with
// the copy (`x-amz-tagging`, which AWS authorises with s3:PutObjectTagging too) or after a multipart copy.
const WRITE_TAGGED: SessionPolicyAction[] = [
  's3:PutObject',
  's3:PutObjectTagging',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
];
const READ: SessionPolicyAction[] = ['s3:GetObject'];

export function buildSessionPolicy(target: SessionPolicyTarget, scope: CredentialScope): SessionPolicy {
  const { bucket, prefix } = checkedTarget(target);
  const partition = partitionOfRoleArn(target.roleArn);
  const objects = (keyOrPattern: string) => `arn:${partition}:s3:::${bucket}/${keyOrPattern}`;

  const statements = ((): SessionPolicyStatement[] => {
    switch (scope.purpose) {
      case 'upload':
        return [allow(WRITE_TAGGED, sourceResource(objects, prefix, scope.mediaId, scope.sourceKey))];

      case 'transcode': {
        const condition = { DateLessThan: { 'aws:CurrentTime': iamTime(scope.grantExpiresAt) } };
        return [
          allow(READ, sourceResource(objects, prefix, scope.mediaId, scope.sourceKey), condition),
          allow(WRITE, objects(`${renditionsPrefix(prefix, checkedMediaId(scope.mediaId))}*`), condition),
        ];
      }

      case 'link':
        // Whole media prefix: one cached credential signs every link of the tenant, and each
        // presigned URL still names exactly one object.
        return [allow(READ, objects(`${tenantMediaPrefix(prefix)}*`))];

      case 'migrate': {
        // the write side tags the copied source; reads need no GetObjectTagging: which object is the
        // source comes from its key (`…/media/<id>/source/…`), not from the old copy's tags
        const media = objects(`${mediaPrefix(prefix, checkedMediaId(scope.mediaId))}*`);
        return [allow(scope.side === 'read' ? READ : WRITE_TAGGED, media)];
      }

      case 'delete':
        return [allow(['s3:DeleteObject'], objects(`${mediaPrefix(prefix, checkedMediaId(scope.mediaId))}*`))];

      case 'verify': {
        // Bucket configuration, read-only — never object names or data — so the connection test can
        // check what object probes alone cannot: the bucket's region (GetBucketLocation; SigV4
        // requests fail with opaque redirects otherwise), CORS that lets browsers upload and download
        // directly (GetBucketCors: the site's origin, PUT/GET/HEAD, ETag exposed — multipart
        // completion needs the ETags), default encryption (GetEncryptionConfiguration, the permission
        // GetBucketEncryption needs) and the TLS-only bucket policy (GetBucketPolicy).
        // Ceph RGW 16 knows no encryption action and refuses the WHOLE AssumeRole (400) when a policy
        // names one, so it is asked for only where the role lives in an AWS account (12-digit account
        // id); S3-compatible services (RGW role ARNs have an empty account) report encryption as a
        // documented warning instead.
        const bucketReads: SessionPolicyAction[] = ['s3:GetBucketCORS', 's3:GetBucketLocation', 's3:GetBucketPolicy'];
        if (/^\d{12}$/.test(parseRoleArn(target.roleArn)?.accountId ?? '')) bucketReads.push('s3:GetEncryptionConfiguration');
        return [
          allow(
            [
              's3:GetObject',
              's3:PutObject',
              's3:PutObjectTagging',
              's3:DeleteObject',
              's3:AbortMultipartUpload',
              's3:ListMultipartUploadParts',
            ],
            objects(`${probePrefix(prefix)}*`),
          ),
          allow(bucketReads, `arn:${partition}:s3:::${bucket}`),
        ];
      }
    }
  })();

  const document: SessionPolicyDocument = { Version: '2012-10-17', Statement: statements };
  const json = JSON.stringify(document);
  // Both hold by construction; a failure here is a bug, better caught before STS sees it.
  if (json.length > MAX_SESSION_POLICY_LENGTH) {
    throw new RangeError(`Session policy for ${scope.purpose} is ${json.length} characters (max ${MAX_SESSION_POLICY_LENGTH})`);
  }
  if (!POLICY_TEXT.test(json)) throw new RangeError(`Session policy for ${scope.purpose} contains characters STS refuses`);
  return { document, json };
}

// STS's `Policy` parameter accepts tab, LF, CR and U+0020–U+00FF; Isola's policies stay printable ASCII.
const POLICY_TEXT = /^[\x20-\x7e]*$/;

// A key can be written literally in a policy Resource only if it is printable ASCII (STS's charset,
// and no JSON escapes whose handling would differ between AWS and RGW) without `*` and `?` (IAM
// wildcards) or `$` (IAM policy variables, `${…}`).
const LITERAL_KEY = /^[\x20-\x7e]+$/;
const IAM_SPECIAL = /[*?$]/;

/**
 * The Resource for the one source object of a media: its exact key when that can be written
 * literally (the usual case: DECISIONS' "one source key"), otherwise the media's source folder
 * `…/media/<id>/source/*`. The fallback covers filenames with Unicode (kept by `sanitizeFilename`,
 * but outside STS's policy charset) or with `*`, `?`, `$` (which a policy would read as wildcards or
 * variables, granting *more* than one key). It is no wider in practice: only Isola creates keys under
 * `source/`, exactly one per media, and every presigned URL names the exact key.
 */
function sourceResource(objects: (keyOrPattern: string) => string, prefix: string, mediaId: string, sourceKey: string): string {
  if (!isKeyInMediaSourcePrefix(sourceKey, prefix, mediaId)) {
    throw new RangeError(`Source key ${JSON.stringify(sourceKey)} is not inside media ${JSON.stringify(mediaId)}'s source folder`);
  }
  // isKeyInMediaSourcePrefix also bounds the key to 1,024 UTF-8 bytes: a literal key is ≤ 1,024 characters.
  const literal = LITERAL_KEY.test(sourceKey) && !IAM_SPECIAL.test(sourceKey);
  return objects(literal ? sourceKey : `${mediaSourcePrefix(prefix, mediaId)}*`);
}

function allow(actions: SessionPolicyAction[], resource: string, condition?: SessionPolicyStatement['Condition']): SessionPolicyStatement {
  const statement: SessionPolicyStatement = { Effect: 'Allow', Action: [...actions], Resource: resource };
  if (condition) statement.Condition = condition;
  return statement;
}

/** ISO 8601 without milliseconds, rounded down: the condition never outlives the grant. */
function iamTime(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError('Transcode grant expiry is not a valid date');
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

function checkedTarget(target: SessionPolicyTarget): { bucket: string; prefix: string } {
  if (!BUCKET.test(target.bucket)) throw new RangeError(`Invalid bucket for a session policy: ${JSON.stringify(target.bucket)}`);
  if (!isValidStoragePrefix(target.prefix)) throw new RangeError(`Invalid prefix for a session policy: ${JSON.stringify(target.prefix)}`);
  return { bucket: target.bucket, prefix: target.prefix };
}

function checkedMediaId(mediaId: string): string {
  if (!isValidMediaId(mediaId)) throw new RangeError(`Invalid media id: ${JSON.stringify(mediaId)}`);
  return mediaId;
}
