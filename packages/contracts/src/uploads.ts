import { z } from 'zod';

/**
 * Shapes of the upload API: the Companion-compatible routes `@uppy/aws-s3` (v6, `companionEndpoint:
 * '/api'`, `shouldUseMultipart: true`) calls under `/api/s3`. Media bytes never pass through Isola:
 * the API creates the multipart upload, signs one part URL at a time and completes it.
 *
 *   GET    /api/s3/params                                → 400 MULTIPART_REQUIRED (always)
 *   POST   /api/s3/multipart                             → CreateMultipartUploadResponse
 *   GET    /api/s3/multipart/:uploadId/batch?key=&partNumbers=1,2,3 → SignPartsResponse (sign-ahead)
 *   GET    /api/s3/multipart/:uploadId/:partNumber?key=  → SignPartResponse (optional `md5`)
 *   GET    /api/s3/multipart/:uploadId?key=              → ListPartsResponse
 *   POST   /api/s3/multipart/:uploadId/complete?key=     → CompleteMultipartUploadResponse
 *   DELETE /api/s3/multipart/:uploadId?key=              → 204
 */

/** S3's limits (AWS and Ceph RGW alike). */
export const S3_MAX_OBJECT_BYTES = 5 * 1024 ** 4; // 5 TiB
export const S3_MIN_PART_BYTES = 5 * 1024 ** 2; // 5 MiB, every part but the last
export const S3_MAX_PART_NUMBER = 10_000;

/** Longest filename accepted as sent; longer names are refused (FILENAME_TOO_LONG), shorter ones shortened to 255 UTF-8 bytes. */
export const MAX_UPLOAD_FILENAME_CHARS = 4096;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/**
 * POST /api/s3/multipart, as Uppy sends it: `filename` (the file's name), `type` (its MIME type,
 * `application/octet-stream` when the browser does not know), `metadata` (the file's Uppy meta).
 * `metadata.size` (declared bytes) is required and checked separately (INVALID_SIZE, UPLOAD_TOO_LARGE);
 * `metadata.sha256` is optional (64 hex digits).
 */
export const createMultipartUploadRequestSchema = z.object({
  filename: z.string().min(1, 'is required'),
  type: z
    .string()
    .trim()
    .transform((value) => value.split(';')[0]!.trim().toLowerCase())
    .pipe(z.string().regex(MIME_TYPE, 'must be a MIME type such as video/mp4'))
    .default('application/octet-stream'),
  metadata: z
    .looseObject({
      sha256: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal digits')
        .transform((value) => value.toLowerCase())
        .optional(),
    })
    .default({}),
});
export type CreateMultipartUploadRequest = z.input<typeof createMultipartUploadRequestSchema>;

export const createMultipartUploadResponseSchema = z.object({
  /** S3's UploadId. */
  uploadId: z.string(),
  /** The object key Isola chose; Uppy sends it back, and the API checks it against its own record. */
  key: z.string(),
  /** The media record created for this upload (status `uploading`). */
  mediaId: z.uuid(),
});
export type CreateMultipartUploadResponse = z.infer<typeof createMultipartUploadResponseSchema>;

export const signPartResponseSchema = z.object({
  /** Presigned UploadPart URL (PUT the part's bytes to it). */
  url: z.url(),
  /** Headers the PUT must carry exactly (Content-MD5 when `md5` was given). */
  headers: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
});
export type SignPartResponse = z.infer<typeof signPartResponseSchema>;

/** Most part URLs one batch request signs (a client signs a few parts ahead, not the whole file). */
export const MAX_SIGN_BATCH_PARTS = 100;

/**
 * GET /api/s3/multipart/:uploadId/batch?key=&partNumbers=1,2,3 — several part URLs in one request (the
 * shape of Companion's `batch` route), so a client can sign the next parts while the current ones upload.
 * No Content-MD5 is signed in: the client sends it as a plain header and the bucket still checks it.
 */
export const signPartsResponseSchema = z.object({
  /** Part number → presigned UploadPart URL. */
  presignedUrls: z.record(z.string(), z.url()),
  /** Headers every PUT must carry exactly (none today). */
  headers: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
});
export type SignPartsResponse = z.infer<typeof signPartsResponseSchema>;

/** GET /api/s3/multipart/:uploadId — Companion's shape (S3's field names). */
export const listPartsResponseSchema = z.array(
  z.object({ PartNumber: z.number().int().min(1).max(S3_MAX_PART_NUMBER), Size: z.number().int().nonnegative(), ETag: z.string() }),
);
export type ListPartsResponse = z.infer<typeof listPartsResponseSchema>;

export const completeMultipartUploadRequestSchema = z.object({
  parts: z
    .array(z.object({ PartNumber: z.unknown(), ETag: z.string().min(1).max(1024) }))
    .min(1, 'must list at least one part')
    .max(S3_MAX_PART_NUMBER),
});
export type CompleteMultipartUploadRequest = z.input<typeof completeMultipartUploadRequestSchema>;

export const completeMultipartUploadResponseSchema = z.object({
  /** The media's API resource (`/api/media/<id>`): Uppy reports it as the upload's URL. */
  location: z.string(),
  key: z.string(),
  mediaId: z.uuid(),
  status: z.literal('uploaded'),
});
export type CompleteMultipartUploadResponse = z.infer<typeof completeMultipartUploadResponseSchema>;

/** Error codes of the upload routes (with the HTTP status each is sent with). */
export const UploadErrorCode = {
  /** 400: single-request uploads are not offered (GET /s3/params). */
  MultipartRequired: 'MULTIPART_REQUIRED',
  /** 400: metadata.size missing, not a whole number, zero or negative. */
  InvalidSize: 'INVALID_SIZE',
  /** 400: declared size over the tenant's limit (or S3's 5 TiB). */
  UploadTooLarge: 'UPLOAD_TOO_LARGE',
  /** 400: filename longer than MAX_UPLOAD_FILENAME_CHARS characters. */
  FilenameTooLong: 'FILENAME_TOO_LONG',
  /** 400: part number not an integer in 1…10,000. */
  InvalidPartNumber: 'INVALID_PART_NUMBER',
  /** 400: at completion, a part other than the last is smaller than 5 MiB. */
  PartTooSmall: 'PART_TOO_SMALL',
  /** 400: at completion, a listed part was not uploaded, its ETag differs, or a part number repeats. */
  InvalidPart: 'INVALID_PART',
  /** 422: the stored bytes do not add up to the declared size; the upload failed. */
  SizeMismatch: 'SIZE_MISMATCH',
  /** 404: no such upload for this user in this tenant. */
  UploadNotFound: 'UPLOAD_NOT_FOUND',
  /** 400: the `key` sent back is not the upload's key. */
  UploadKeyMismatch: 'UPLOAD_KEY_MISMATCH',
  /** 409: the upload was completed already. */
  UploadAlreadyCompleted: 'UPLOAD_ALREADY_COMPLETED',
  /** 409: the upload was aborted (or failed). */
  UploadAborted: 'UPLOAD_ABORTED',
  /** 409: the tenant has no active storage target to upload to. */
  NoActiveStorageTarget: 'NO_ACTIVE_STORAGE_TARGET',
  /** 409: the storage target is not in a state that accepts uploads. */
  StorageTargetNotActive: 'STORAGE_TARGET_NOT_ACTIVE',
} as const;
export type UploadErrorCode = (typeof UploadErrorCode)[keyof typeof UploadErrorCode];

/** Error codes of the media routes. */
export const MediaErrorCode = {
  /** 404: no such media in the caller's tenant (also for malformed ids and deleted media). */
  MediaNotFound: 'MEDIA_NOT_FOUND',
  /** 409: the source is not stored yet (uploading) or the upload failed: no link to give. */
  MediaNotReady: 'MEDIA_NOT_READY',
  /** 400: the `cursor` is not one this API issued. */
  InvalidCursor: 'INVALID_CURSOR',
  /** 409: re-process asked for a media that is still uploading/transcoding, or has no stored source. */
  NotReprocessable: 'MEDIA_NOT_REPROCESSABLE',
} as const;
export type MediaErrorCode = (typeof MediaErrorCode)[keyof typeof MediaErrorCode];
