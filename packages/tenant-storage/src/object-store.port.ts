import type { Readable } from 'node:stream';

import type { DispositionType } from './content-disposition.js';

/**
 * One storage target seen through one temporary credential: presigned URLs for browsers and the
 * few S3 calls the servers make themselves. Domain types only; adapters translate provider errors
 * into `StorageError` (see `classifyAwsError`). Keys are Isola's own (see object-keys.ts), never
 * raw request input.
 *
 * Every presigned URL is clamped to the credential: it never outlives it (see
 * `presignExpiresInSeconds`), and `expiresAt` says when it really ends.
 */
export abstract class ObjectStore {
  /** When the credential behind this store stops being usable. */
  abstract readonly credentialExpiresAt: Date;

  /** A single-request PUT URL; Content-Type and Content-Length are signed (any other value → 403). */
  abstract presignPut(input: PresignPutInput): Promise<PresignedRequest>;

  /** A browser form upload (POST policy): exact key, exact Content-Type, size within the range. */
  abstract presignPost(input: PresignPostInput): Promise<PresignedPost>;

  abstract createMultipartUpload(input: CreateMultipartUploadInput): Promise<{ uploadId: string }>;

  /** A PUT URL for one part; with `contentMd5` the store rejects a part whose bytes do not match. */
  abstract presignUploadPart(input: PresignUploadPartInput): Promise<PresignedRequest>;

  /** The parts uploaded so far, by part number. */
  abstract listParts(input: MultipartUploadRef): Promise<UploadedPart[]>;

  /** Assembles the parts. The ETag is absent when the provider does not return one (Ceph RGW 16): HEAD has it. */
  abstract completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<{ etag?: string }>;

  abstract abortMultipartUpload(input: MultipartUploadRef): Promise<void>;

  abstract headObject(key: string): Promise<ObjectHead>;

  /** Reads an object (the worker's source download). The caller must consume or destroy `body`. */
  abstract getObject(key: string): Promise<StoredObject>;

  /** Writes a small object in one request (renditions use multipart; this is for posters, probes…). */
  abstract putObject(input: PutObjectInput): Promise<{ etag?: string }>;

  /**
   * Replaces an existing object's tag set (S3 PutObjectTagging; needs `s3:PutObjectTagging`). How a
   * multipart upload gets its tags: Ceph RGW 16 accepts `x-amz-tagging` on CreateMultipartUpload and
   * silently drops it at completion (measured), so Isola tags the assembled object instead — which
   * works the same on AWS.
   *
   * Not abstract: stores that keep no tags (in-memory test fakes) need not implement it, and refuse.
   */
  putObjectTagging(input: PutObjectTaggingInput): Promise<void> {
    return Promise.reject(new Error(`${this.constructor.name} keeps no object tags (${input.key})`));
  }

  /** Deletes one object (idempotent: a missing key is not an error). Needs `delete` credentials. */
  abstract deleteObject(key: string): Promise<void>;

  /** A GET URL for one object, optionally as a download with its filename (`response-content-disposition`). */
  abstract presignGet(input: PresignGetInput): Promise<PresignedLink>;
}

export interface PresignedRequest {
  readonly method: 'PUT' | 'GET';
  readonly url: string;
  /**
   * Headers the client must send exactly as given (they are signed). Content-Length is signed too
   * but not listed: HTTP clients set it from the body, and browsers refuse to set it by hand.
   */
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: Date;
}

export interface PresignedPost {
  readonly url: string;
  /** Form fields to send before the file field, as given. */
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresAt: Date;
}

export interface PresignedLink {
  readonly url: string;
  readonly expiresAt: Date;
}

export interface PresignPutInput {
  key: string;
  contentType: string;
  /** Bytes; signed, so the upload must be exactly this size. */
  contentLength: number;
  /** Default 15 min, clamped to the credential. */
  expiresInSeconds?: number;
}

export interface PresignPostInput {
  key: string;
  contentType: string;
  /** Largest accepted body in bytes (`content-length-range`); bigger → 400 from the store. */
  maxBytes: number;
  /** Smallest accepted body in bytes (default 0). */
  minBytes?: number;
  expiresInSeconds?: number;
}

export interface CreateMultipartUploadInput {
  key: string;
  contentType: string;
}

export interface MultipartUploadRef {
  key: string;
  uploadId: string;
}

export interface PresignUploadPartInput extends MultipartUploadRef {
  /** 1…10 000. */
  partNumber: number;
  /** Base64 MD5 of the part, signed in: a corrupted part is refused (400 BadDigest). */
  contentMd5?: string;
  /** Bytes; when given it is signed, so the part must be exactly this size. */
  contentLength?: number;
  expiresInSeconds?: number;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface CompleteMultipartUploadInput extends MultipartUploadRef {
  parts: ReadonlyArray<{ partNumber: number; etag: string }>;
}

export interface ObjectHead {
  key: string;
  size: number;
  contentType?: string;
  etag?: string;
  lastModified?: Date;
}

export interface StoredObject extends ObjectHead {
  body: Readable;
}

/**
 * Object tags, key → value (S3: at most 10 per object, keys 1…128 and values 0…256 characters of
 * letters, digits, spaces and `+ - = . _ : / @`; keys starting `aws:` are reserved). Lifecycle
 * rules match them: sources carry `SOURCE_TAG` (setup-kit/bucket-lifecycle.ts).
 */
export type ObjectTags = Readonly<Record<string, string>>;

export interface PutObjectInput {
  key: string;
  body: Uint8Array | string;
  contentType: string;
  /** Tags written with the object (`x-amz-tagging`; on AWS this needs `s3:PutObjectTagging` too). */
  tags?: ObjectTags;
  /**
   * The body's SHA-256 (64 hex digits) when the caller has it already (a copy hashes what it reads):
   * signed in as `x-amz-content-sha256` instead of hashing the body a second time, and the store
   * refuses a body that does not match it.
   */
  sha256Hex?: string;
}

export interface PutObjectTaggingInput {
  key: string;
  /** The object's whole new tag set (tags not listed are removed). */
  tags: ObjectTags;
}

export interface PresignGetInput {
  key: string;
  /** Default 15 min, clamped to the credential. */
  expiresInSeconds?: number;
  /** Name the browser saves the file under (sent as `response-content-disposition`). */
  filename?: string;
  /** Default `attachment` when a filename is given; `inline` to display in the browser. */
  disposition?: DispositionType;
  /** Overrides the stored Content-Type in the response (`response-content-type`). */
  responseContentType?: string;
}
