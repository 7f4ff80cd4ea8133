import { Readable } from 'node:stream';
import {
  ObjectStore,
  StorageError,
  StorageErrorCode,
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
  type PutObjectInput,
  type StoredObject,
  type UploadedPart,
} from '@isola/tenant-storage';

/**
 * An `ObjectStore` in memory, for service tests: objects in a map, GET links as `memory://<key>`,
 * writes recorded. Multipart parts travel over HTTP in the real flow, so they are not supported here.
 */
export class InMemoryObjectStore extends ObjectStore {
  readonly credentialExpiresAt = new Date(Date.now() + 3_600_000);
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  readonly writes: string[] = [];
  /** The next calls of these operations fail with this error. */
  readonly failures = new Map<string, StorageError>();

  put(key: string, body: string | Uint8Array, contentType = 'application/octet-stream'): void {
    this.objects.set(key, { body: Buffer.from(body), contentType });
  }

  async getObject(key: string): Promise<StoredObject> {
    this.fail('GetObject', key);
    const object = this.objects.get(key);
    if (!object) throw new StorageError(StorageErrorCode.OBJECT_NOT_FOUND, 'no such key', { details: { operation: 'GetObject', key } });
    return { key, size: object.body.byteLength, contentType: object.contentType, body: Readable.from([object.body]) };
  }

  async headObject(key: string): Promise<ObjectHead> {
    const object = await this.getObject(key);
    object.body.destroy();
    return { key, size: object.size };
  }

  async putObject(input: PutObjectInput): Promise<{ etag?: string }> {
    this.fail('PutObject', input.key);
    this.put(input.key, typeof input.body === 'string' ? input.body : Buffer.from(input.body), input.contentType);
    this.writes.push(input.key);
    return { etag: '"memory"' };
  }

  async deleteObject(key: string): Promise<void> {
    this.fail('DeleteObject', key);
    this.objects.delete(key);
  }

  async presignGet(input: PresignGetInput): Promise<PresignedLink> {
    return { url: `memory://${input.key}`, expiresAt: this.credentialExpiresAt };
  }

  presignPut(_input: PresignPutInput): Promise<PresignedRequest> {
    return unsupported();
  }
  presignPost(_input: PresignPostInput): Promise<PresignedPost> {
    return unsupported();
  }
  createMultipartUpload(_input: CreateMultipartUploadInput): Promise<{ uploadId: string }> {
    return unsupported();
  }
  presignUploadPart(_input: PresignUploadPartInput): Promise<PresignedRequest> {
    return unsupported();
  }
  listParts(_input: MultipartUploadRef): Promise<UploadedPart[]> {
    return unsupported();
  }
  completeMultipartUpload(_input: CompleteMultipartUploadInput): Promise<{ etag?: string }> {
    return unsupported();
  }
  abortMultipartUpload(_input: MultipartUploadRef): Promise<void> {
    return unsupported();
  }

  private fail(operation: string, key: string): void {
    const failure = this.failures.get(operation);
    if (failure === undefined) return;
    this.failures.delete(operation);
    throw new StorageError(failure.code, failure.message, {
      retryable: failure.retryable,
      details: { ...failure.details, operation, key },
    });
  }
}

function unsupported(): Promise<never> {
  return Promise.reject(new Error('InMemoryObjectStore: multipart and browser uploads are not supported'));
}
