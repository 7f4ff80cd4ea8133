import { Readable } from 'node:stream';
import {
  ObjectStore,
  ObjectStoreFactory,
  StorageError,
  StorageErrorCode,
  type CreateMultipartUploadInput,
  type MultipartUploadRef,
  type ObjectHead,
  type PresignedLink,
  type PresignedPost,
  type PresignedRequest,
  type PutObjectInput,
  type PutObjectTaggingInput,
  type StorageTargetRef,
  type StoredObject,
  type TemporaryCredentials,
  type UploadedPart,
} from '@isola/tenant-storage';
import { BucketInspector, type BucketReads, type CorsPreflightAnswer, type CorsPreflightRequest } from '../bucket-inspector.port.js';

/** A StorageError as the S3 adapters make it for a 403 answer. */
export function denied(operation: string): StorageError {
  return new StorageError(StorageErrorCode.PERMISSION_DENIED, 'The storage service denied the request.', {
    details: { service: 's3', operation, httpStatus: 403 },
  });
}

type Operation = 'PutObject' | 'PutObjectTagging' | 'GetObject' | 'DeleteObject' | 'CreateMultipartUpload' | 'AbortMultipartUpload';

/** The bucket in memory, as the connection test uses it; `deny` makes one operation answer 403. */
export class FakeObjectStore extends ObjectStore {
  readonly credentialExpiresAt = new Date('2099-01-01T00:00:00Z');
  readonly objects = new Map<string, Buffer>();
  readonly openUploads = new Map<string, string>();
  readonly calls: string[] = [];
  readonly deny = new Set<Operation>();
  /** Bytes GetObject answers instead of what was stored. */
  corruptReads = false;

  async putObject(input: PutObjectInput): Promise<{ etag?: string }> {
    this.check('PutObject', input.key);
    this.objects.set(input.key, Buffer.from(input.body));
    return {};
  }

  readonly tags = new Map<string, Record<string, string>>();

  override async putObjectTagging(input: PutObjectTaggingInput): Promise<void> {
    this.check('PutObjectTagging', input.key);
    if (!this.objects.has(input.key)) throw new StorageError(StorageErrorCode.OBJECT_NOT_FOUND, 'No such object.');
    this.tags.set(input.key, { ...input.tags });
  }

  async getObject(key: string): Promise<StoredObject> {
    this.check('GetObject', key);
    const bytes = this.objects.get(key);
    if (bytes === undefined) throw new StorageError(StorageErrorCode.OBJECT_NOT_FOUND, 'No such object.');
    const body = this.corruptReads ? Buffer.from('something else') : bytes;
    return { key, size: body.length, body: Readable.from([body]) };
  }

  async deleteObject(key: string): Promise<void> {
    this.check('DeleteObject', key);
    this.objects.delete(key);
  }

  async createMultipartUpload(input: CreateMultipartUploadInput): Promise<{ uploadId: string }> {
    this.check('CreateMultipartUpload', input.key);
    const uploadId = `upload-${this.openUploads.size + 1}`;
    this.openUploads.set(uploadId, input.key);
    return { uploadId };
  }

  async abortMultipartUpload(input: MultipartUploadRef): Promise<void> {
    this.check('AbortMultipartUpload', input.key);
    this.openUploads.delete(input.uploadId);
  }

  presignPut(): Promise<PresignedRequest> {
    return unused();
  }
  presignPost(): Promise<PresignedPost> {
    return unused();
  }
  presignUploadPart(): Promise<PresignedRequest> {
    return unused();
  }
  listParts(): Promise<UploadedPart[]> {
    return unused();
  }
  completeMultipartUpload(): Promise<{ etag?: string }> {
    return unused();
  }
  headObject(): Promise<ObjectHead> {
    return unused();
  }
  presignGet(): Promise<PresignedLink> {
    return unused();
  }

  private check(operation: Operation, key: string): void {
    this.calls.push(`${operation} ${key}`);
    if (this.deny.has(operation)) throw denied(operation);
  }
}

export class FakeObjectStoreFactory extends ObjectStoreFactory {
  constructor(readonly store: FakeObjectStore) {
    super();
  }
  readonly credentials: TemporaryCredentials[] = [];
  forCredentials(_target: StorageTargetRef, credentials: TemporaryCredentials): ObjectStore {
    this.credentials.push(credentials);
    return this.store;
  }
}

/** Bucket configuration in memory: set each answer (a value, or an error to throw). */
export class FakeBucketInspector extends BucketInspector {
  location: string | StorageError = '';
  encryption: string[] | StorageError = ['AES256'];
  policy: string | null | StorageError = null;
  preflight: Omit<CorsPreflightAnswer, 'url'> | StorageError = {
    status: 200,
    allowOrigin: null,
    allowMethods: ['PUT'],
    exposeHeaders: ['ETag'],
  };
  readonly preflights: CorsPreflightRequest[] = [];
  opened = 0;
  closed = 0;

  open(): BucketReads {
    this.opened += 1;
    return {
      location: async () => answer(this.location),
      encryption: async () => answer(this.encryption),
      policy: async () => answer(this.policy),
      close: () => {
        this.closed += 1;
      },
    };
  }

  async corsPreflight(target: StorageTargetRef, request: CorsPreflightRequest): Promise<CorsPreflightAnswer> {
    this.preflights.push(request);
    const found = answer(this.preflight);
    // echoes the origin asked, as S3 does, unless a test fixed another one
    return { url: `https://${target.bucket}.s3.amazonaws.com/`, ...found, allowOrigin: found.allowOrigin ?? request.origin };
  }
}

function answer<T>(value: T | StorageError): T {
  if (value instanceof StorageError) throw value;
  return value;
}

function unused(): never {
  throw new Error('not used by the connection test');
}
