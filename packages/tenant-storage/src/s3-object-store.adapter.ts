import type { Readable } from 'node:stream';

import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

import { awsErrorInfoFrom } from './aws-error-info.js';
import { storageErrorFromAws } from './classify-aws-error.js';
import { contentDisposition } from './content-disposition.js';
import { createNodeSha256 } from './node-sha256.js';
import { isSafeObjectKey } from './object-keys.js';
import {
  ObjectStore,
  type CompleteMultipartUploadInput,
  type CreateMultipartUploadInput,
  type MultipartUploadRef,
  type ObjectHead,
  type PresignGetInput,
  type PresignPostInput,
  type PresignPutInput,
  type PresignUploadPartInput,
  type PresignedLink,
  type PresignedPost,
  type PresignedRequest,
  type ObjectTags,
  type PutObjectInput,
  type PutObjectTaggingInput,
  type StoredObject,
  type UploadedPart,
} from './object-store.port.js';
import { presignExpiresInSeconds } from './presign-lifetime.js';
import { objectPath, s3Location, uriEscape, type S3Location } from './s3-location.js';
import { StorageError } from './storage-error.js';
import type { StorageTargetRef } from './storage-target.js';
import type { SharedAgents } from './shared-agents.js';
import type { TemporaryCredentials } from './temporary-credentials.js';

/** Where "now" comes from (a `Clock` from @isola/runtime fits). */
export interface NowSource {
  now(): Date;
}

export interface S3ObjectStoreOptions {
  clock: NowSource;
  /** Path-style URLs (`host/<bucket>/<key>`); see `defaultForcePathStyle`. */
  forcePathStyle: boolean;
  /** SDK attempts per S3 call (retries on throttling and 5xx only). Default 3. */
  maxAttempts?: number;
  /** Connections shared with the factory's other stores (default: the client's own). */
  agents?: SharedAgents;
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SHA256_HEX = /^[0-9a-f]{64}$/;
const MAX_PART_NUMBER = 10_000;

/**
 * `ObjectStore` over S3 (AWS or an S3-compatible service such as Ceph RGW) for one target and one
 * temporary credential. Built by `S3ObjectStoreFactory`, which keeps one per (target, credential).
 *
 * Presigning uses the SDK's own SigV4 signer (`@smithy/signature-v4`), constructed once here and
 * reused for every URL: it caches the day's signing key, and a URL costs one `HttpRequest` and one
 * `presign` — no client middleware stack, no endpoint resolution (what `getSignedUrl` runs per URL).
 * The `S3Client` for the calls Isola makes itself is created on first use only: minting links never
 * needs one.
 */
export class S3ObjectStore extends ObjectStore {
  readonly credentialExpiresAt: Date;
  private readonly location: S3Location;
  private readonly signer: SignatureV4;
  /**
   * Per query parameter, the last value and its escaped form: most of a presigned URL's parameters
   * (the 500-character session token, the credential scope, algorithm, signed headers) repeat from
   * one URL to the next, so each is escaped once per credential (or day), not once per URL.
   */
  private readonly escapedParameters = new Map<string, { value: string; escaped: string }>();
  private client: S3Client | undefined;

  constructor(
    private readonly target: StorageTargetRef,
    private readonly credentials: TemporaryCredentials,
    private readonly options: S3ObjectStoreOptions,
  ) {
    super();
    this.credentialExpiresAt = new Date(credentials.expiresAt.getTime());
    this.location = s3Location(target, options.forcePathStyle);
    this.signer = new SignatureV4({
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
      region: target.region,
      service: 's3',
      sha256: createNodeSha256(),
      // The path is built already encoded (S3 wants it encoded once, not twice as other services).
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  // ------------------------------------------------------------------------------------------ presigned

  async presignPut(input: PresignPutInput): Promise<PresignedRequest> {
    checkLength(input.contentLength, 'contentLength');
    const headers = { 'content-type': input.contentType };
    const signed = await this.presign('PUT', input.key, {
      headers: { ...headers, 'content-length': String(input.contentLength) },
      expiresInSeconds: input.expiresInSeconds,
    });
    return { method: 'PUT', url: signed.url, headers, expiresAt: signed.expiresAt };
  }

  async presignUploadPart(input: PresignUploadPartInput): Promise<PresignedRequest> {
    if (!Number.isInteger(input.partNumber) || input.partNumber < 1 || input.partNumber > MAX_PART_NUMBER) {
      throw new RangeError(`Part number must be 1…${MAX_PART_NUMBER}, got ${input.partNumber}`);
    }
    if (input.uploadId === '') throw new RangeError('uploadId is empty');
    const headers: Record<string, string> = {};
    if (input.contentMd5 !== undefined) headers['content-md5'] = input.contentMd5;
    const signedHeaders = { ...headers };
    if (input.contentLength !== undefined) {
      checkLength(input.contentLength, 'contentLength');
      signedHeaders['content-length'] = String(input.contentLength);
    }
    const signed = await this.presign('PUT', input.key, {
      query: { partNumber: String(input.partNumber), uploadId: input.uploadId },
      headers: signedHeaders,
      expiresInSeconds: input.expiresInSeconds,
    });
    return { method: 'PUT', url: signed.url, headers, expiresAt: signed.expiresAt };
  }

  async presignGet(input: PresignGetInput): Promise<PresignedLink> {
    const query: Record<string, string> = {};
    if (input.filename !== undefined || input.disposition !== undefined) {
      query['response-content-disposition'] = contentDisposition(input.filename, input.disposition ?? 'attachment');
    }
    if (input.responseContentType !== undefined) query['response-content-type'] = input.responseContentType;
    return this.presign('GET', input.key, { query, expiresInSeconds: input.expiresInSeconds });
  }

  async presignPost(input: PresignPostInput): Promise<PresignedPost> {
    const key = this.checkedKey(input.key);
    // `${filename}` at the end of a key makes the SDK emit a `starts-with` condition: any key below.
    if (key.includes('${filename}')) throw new RangeError('A POST policy key must be exact (no ${filename})');
    const minBytes = input.minBytes ?? 0;
    checkLength(minBytes, 'minBytes');
    checkLength(input.maxBytes, 'maxBytes');
    if (minBytes > input.maxBytes) throw new RangeError('minBytes is larger than maxBytes');
    // createPresignedPost reads the system clock itself (not `options.clock`): clamp against it too.
    const now = Date.now();
    const expires = presignExpiresInSeconds(new Date(now), this.credentialExpiresAt, input.expiresInSeconds);
    const post = await this.call('PresignPost', key, (client) =>
      createPresignedPost(client, {
        Bucket: this.target.bucket,
        Key: key,
        Conditions: [
          ['content-length-range', minBytes, input.maxBytes],
          ['eq', '$Content-Type', input.contentType],
        ],
        Fields: { 'Content-Type': input.contentType },
        Expires: expires,
      }),
    );
    return { url: post.url, fields: post.fields, expiresAt: new Date(Math.floor((now + expires * 1000) / 1000) * 1000) };
  }

  // ------------------------------------------------------------------------------------------ S3 calls

  async createMultipartUpload(input: CreateMultipartUploadInput): Promise<{ uploadId: string }> {
    const key = this.checkedKey(input.key);
    const output = await this.call('CreateMultipartUpload', key, (client) =>
      client.send(new CreateMultipartUploadCommand({ Bucket: this.target.bucket, Key: key, ContentType: input.contentType })),
    );
    if (!output.UploadId) throw this.malformed('CreateMultipartUpload', key, 'no UploadId');
    return { uploadId: output.UploadId };
  }

  async listParts(input: MultipartUploadRef): Promise<UploadedPart[]> {
    const key = this.checkedKey(input.key);
    const parts: UploadedPart[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call('ListParts', key, (client) =>
        client.send(new ListPartsCommand({ Bucket: this.target.bucket, Key: key, UploadId: input.uploadId, PartNumberMarker: marker })),
      );
      for (const part of page.Parts ?? []) {
        if (part.PartNumber === undefined || !part.ETag) continue;
        parts.push({ partNumber: part.PartNumber, etag: part.ETag, size: part.Size ?? 0 });
      }
      marker = page.IsTruncated && page.NextPartNumberMarker ? page.NextPartNumberMarker : undefined;
    } while (marker !== undefined);
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<{ etag?: string }> {
    const key = this.checkedKey(input.key);
    if (input.parts.length === 0) throw new RangeError('A multipart upload needs at least one part');
    const parts = [...input.parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag }));
    const output = await this.call('CompleteMultipartUpload', key, (client) =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: key,
          UploadId: input.uploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    return output.ETag ? { etag: output.ETag } : {};
  }

  async abortMultipartUpload(input: MultipartUploadRef): Promise<void> {
    const key = this.checkedKey(input.key);
    await this.call('AbortMultipartUpload', key, (client) =>
      client.send(new AbortMultipartUploadCommand({ Bucket: this.target.bucket, Key: key, UploadId: input.uploadId })),
    );
  }

  async headObject(key: string): Promise<ObjectHead> {
    const checked = this.checkedKey(key);
    const output = await this.call('HeadObject', checked, (client) =>
      client.send(new HeadObjectCommand({ Bucket: this.target.bucket, Key: checked })),
    );
    return objectHead(checked, output);
  }

  async getObject(key: string): Promise<StoredObject> {
    const checked = this.checkedKey(key);
    const output = await this.call('GetObject', checked, (client) =>
      client.send(new GetObjectCommand({ Bucket: this.target.bucket, Key: checked })),
    );
    if (output.Body === undefined) throw this.malformed('GetObject', checked, 'no body');
    return { ...objectHead(checked, output), body: output.Body as Readable };
  }

  async putObject(input: PutObjectInput): Promise<{ etag?: string }> {
    const key = this.checkedKey(input.key);
    const tagging = input.tags === undefined ? undefined : encodeObjectTags(input.tags);
    const payloadHash = input.sha256Hex;
    if (payloadHash !== undefined && !SHA256_HEX.test(payloadHash)) throw new RangeError('sha256Hex must be 64 lowercase hex digits');
    const output = await this.call('PutObject', key, (client) => {
      const command = new PutObjectCommand({
        Bucket: this.target.bucket,
        Key: key,
        Body: input.body,
        ContentType: input.contentType,
        ...(tagging === undefined || tagging === '' ? {} : { Tagging: tagging }),
      });
      if (payloadHash !== undefined) {
        // the signer takes a payload hash it finds in the request instead of hashing the body itself
        command.middlewareStack.add(
          (next) => async (args) => {
            if (HttpRequest.isInstance(args.request)) args.request.headers['x-amz-content-sha256'] = payloadHash;
            return next(args);
          },
          { step: 'build', name: 'isolaKnownPayloadHash' },
        );
      }
      return client.send(command);
    });
    return output.ETag ? { etag: output.ETag } : {};
  }

  override async putObjectTagging(input: PutObjectTaggingInput): Promise<void> {
    const key = this.checkedKey(input.key);
    const tagSet = Object.entries(checkedObjectTags(input.tags)).map(([Key, Value]) => ({ Key, Value }));
    await this.call('PutObjectTagging', key, (client) =>
      client.send(new PutObjectTaggingCommand({ Bucket: this.target.bucket, Key: key, Tagging: { TagSet: tagSet } })),
    );
  }

  async deleteObject(key: string): Promise<void> {
    const checked = this.checkedKey(key);
    await this.call('DeleteObject', checked, (client) =>
      client.send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: checked })),
    );
  }

  /** Closes the SDK client's sockets, if one was made. */
  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
  }

  // ------------------------------------------------------------------------------------------ internals

  private async presign(
    method: 'GET' | 'PUT',
    key: string,
    request: { query?: Record<string, string>; headers?: Record<string, string>; expiresInSeconds: number | undefined },
  ): Promise<PresignedLink> {
    const checked = this.checkedKey(key);
    const now = this.options.clock.now();
    const expiresIn = presignExpiresInSeconds(now, this.credentialExpiresAt, request.expiresInSeconds);
    const { location } = this;
    const unsigned = new HttpRequest({
      method,
      protocol: location.protocol,
      hostname: location.hostname,
      ...(location.port === undefined ? {} : { port: location.port }),
      path: objectPath(location, checked),
      query: request.query ?? {},
      // What @aws-sdk/s3-request-presigner sends too: the body is not part of the signature.
      headers: { ...request.headers, host: location.host, 'X-Amz-Content-Sha256': UNSIGNED_PAYLOAD },
    });
    const signed = await this.signer.presign(unsigned, {
      signingDate: now,
      expiresIn,
      signingRegion: this.target.region,
      signingService: 's3',
    });
    // X-Amz-Date has whole seconds: the URL expires `expiresIn` after the second it was signed in.
    const signedAt = Math.floor(now.getTime() / 1000) * 1000;
    return { url: this.formatUrl(signed.path, signed.query ?? {}), expiresAt: new Date(signedAt + expiresIn * 1000) };
  }

  private formatUrl(path: string, query: NonNullable<HttpRequest['query']>): string {
    const { location } = this;
    let search = '';
    for (const name in query) {
      const value = query[name];
      if (value === null || value === undefined) continue;
      for (const one of typeof value === 'string' ? [value] : value) search += `&${this.escapeParameter(name, one)}`;
    }
    const port = location.port === undefined ? '' : `:${location.port}`;
    return `${location.protocol}//${location.hostname}${port}${path}${search === '' ? '' : `?${search.slice(1)}`}`;
  }

  private escapeParameter(name: string, value: string): string {
    const last = this.escapedParameters.get(name);
    if (last !== undefined && last.value === value) return last.escaped;
    const escaped = `${uriEscape(name)}=${uriEscape(value)}`;
    if (last !== undefined) {
      last.value = value;
      last.escaped = escaped;
    } else if (this.escapedParameters.size < 32) {
      this.escapedParameters.set(name, { value, escaped });
    }
    return escaped;
  }

  private s3(): S3Client {
    this.client ??= new S3Client({
      region: this.target.region,
      ...(this.location.clientEndpoint === undefined ? {} : { endpoint: this.location.clientEndpoint }),
      forcePathStyle: this.location.forcePathStyle,
      credentials: {
        accessKeyId: this.credentials.accessKeyId,
        secretAccessKey: this.credentials.secretAccessKey,
        sessionToken: this.credentials.sessionToken,
        expiration: this.credentialExpiresAt,
      },
      // Ceph RGW 16 refuses aws-chunked uploads with checksum trailers (411).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: this.options.maxAttempts ?? 3,
      ...(this.options.agents === undefined
        ? {}
        : { requestHandler: { httpAgent: this.options.agents.http, httpsAgent: this.options.agents.https } }),
    });
    return this.client;
  }

  private async call<T>(operation: string, key: string, run: (client: S3Client) => Promise<T>): Promise<T> {
    try {
      return await run(this.s3());
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw storageErrorFromAws(
        awsErrorInfoFrom(error, 's3', operation),
        { targetId: this.target.id, bucket: this.target.bucket, key },
        error,
      );
    }
  }

  private malformed(operation: string, key: string, what: string): StorageError {
    return new StorageError('STORAGE_UNAVAILABLE', `The storage service answered ${operation} with ${what}.`, {
      retryable: false,
      details: { service: 's3', operation, targetId: this.target.id, bucket: this.target.bucket, key },
    });
  }

  /** Only safe keys inside the target's prefix reach S3 or the signer. */
  private checkedKey(key: string): string {
    const { prefix } = this.target;
    if (!isSafeObjectKey(key) || (prefix !== '' && !key.startsWith(`${prefix}/`))) {
      throw new RangeError(`Object key ${JSON.stringify(key)} is not a safe key inside the target's prefix`);
    }
    return key;
  }
}

/** S3's limits on object tags. */
export const MAX_OBJECT_TAGS = 10;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
// The characters S3 accepts in tag keys and values: letters, digits, spaces and `+ - = . _ : / @`.
const TAG_TEXT = /^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u;

/**
 * Tags as the `x-amz-tagging` header wants them: URL query form, `k1=v1&k2=v2`, each key and value
 * percent-encoded (so `=`, `&`, `+`, `/` and spaces inside them survive). '' for no tags.
 */
export function encodeObjectTags(tags: ObjectTags): string {
  return Object.entries(checkedObjectTags(tags))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** The tags unchanged, or a RangeError naming the first S3 would refuse (tags are Isola's own, never user input). */
export function checkedObjectTags(tags: ObjectTags): ObjectTags {
  const entries = Object.entries(tags);
  if (entries.length > MAX_OBJECT_TAGS) throw new RangeError(`At most ${MAX_OBJECT_TAGS} tags per object, got ${entries.length}`);
  for (const [key, value] of entries) {
    if (key === '' || [...key].length > MAX_TAG_KEY_LENGTH || !TAG_TEXT.test(key) || key.startsWith('aws:')) {
      throw new RangeError(`Invalid object tag key ${JSON.stringify(key)}`);
    }
    if ([...value].length > MAX_TAG_VALUE_LENGTH || !TAG_TEXT.test(value)) {
      throw new RangeError(`Invalid value for object tag ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    }
  }
  return tags;
}

function objectHead(key: string, output: { ContentLength?: number; ContentType?: string; ETag?: string; LastModified?: Date }): ObjectHead {
  const head: ObjectHead = { key, size: output.ContentLength ?? 0 };
  if (output.ContentType !== undefined) head.contentType = output.ContentType;
  if (output.ETag) head.etag = output.ETag;
  if (output.LastModified !== undefined) head.lastModified = output.LastModified;
  return head;
}

function checkLength(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of bytes ≥ 0, got ${value}`);
}
