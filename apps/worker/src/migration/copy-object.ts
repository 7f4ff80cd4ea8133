import { createHash } from 'node:crypto';
import {
  MEDIA_SEGMENT,
  SOURCE_SEGMENT,
  SOURCE_TAG,
  StorageError,
  StorageErrorCode,
  storageErrorFromAws,
  type ObjectStore,
  type ObjectTags,
} from '@isola/tenant-storage';
import { StreamGarbage } from '../common/stream-garbage.js';

export interface CopyObjectInput {
  fromKey: string;
  toKey: string;
  contentType: string;
  /** Objects up to this size go in one PUT; bigger ones as multipart with parts of this size. */
  partSizeBytes: number;
  signal?: AbortSignal;
  /** Bytes written so far (for progress). */
  onBytes?: (bytes: number) => void;
  /**
   * Where the part being read is gathered: a buffer of at least `partSizeBytes` the caller reuses
   * from one copy to the next (see {@link PartBuffers}); a fresh one when absent or too small. Its
   * bytes are the request body until each PUT settles, so it must not be shared by two copies at once.
   */
  buffer?: Buffer;
}

export interface CopiedObject {
  sizeBytes: number;
  /** Hex SHA-256 of the bytes read from the old target (and written to the new one). */
  sha256: string;
}

/**
 * Streams one object from one target to another: GET with the `migrate`/`read` credential, PUT with
 * the `migrate`/`write` one, hashing on the way (a single PUT signs that hash in as its payload hash:
 * the body is hashed once, and the store refuses it if it was corrupted on the way). At most one part
 * is held in memory (never the whole object, nothing on disk), gathered in one buffer the caller may
 * reuse from copy to copy: an object that fits in one part goes as a single PUT; a bigger one as a
 * multipart upload whose parts are PUT to presigned URLs with their MD5 signed in (the store refuses
 * a corrupted part), reading pauses while a part is in flight. The stores are asked again for every request, so a long copy picks up
 * renewed credentials. Writing the same key again overwrites it: a retried copy never leaves a
 * duplicate. A failed multipart upload is aborted (best effort; the bucket's lifecycle rule aborts
 * what a crash leaves behind).
 *
 * A media's source keeps its tag {@link SOURCE_TAG} on the new target (the setup kit's
 * sources-to-Infrequent-Access rule matches it): with the single PUT (`x-amz-tagging`), or with
 * PutObjectTagging once a multipart copy is assembled (Ceph RGW 16 drops tags given at
 * CreateMultipartUpload). Which object is the source comes from its key (`…/media/<id>/source/<file>`,
 * see object-keys.ts), not from the old copy's tags: reading them would need GetObjectTagging on the
 * old target for nothing Isola does not already know. Renditions are written untagged.
 */
export async function copyObject(
  read: () => Promise<ObjectStore>,
  write: () => Promise<ObjectStore>,
  input: CopyObjectInput,
): Promise<CopiedObject> {
  const { toKey, partSizeBytes, signal } = input;
  const tags = isSourceKey(toKey) ? SOURCE_OBJECT_TAGS : undefined;
  const object = await (await read()).getObject(input.fromKey);
  const abort = () => object.body.destroy(new DOMException('The job was aborted', 'AbortError'));
  signal?.addEventListener('abort', abort, { once: true });

  const hash = createHash('sha256');
  const garbage = new StreamGarbage(); // the read buffers, collected as they go
  // one part at a time, gathered in place (no concatenation, no fresh allocation per object)
  const part = input.buffer !== undefined && input.buffer.byteLength >= partSizeBytes ? input.buffer : Buffer.allocUnsafe(partSizeBytes);
  let filled = 0;
  let total = 0;
  let multipart: { uploadId: string; parts: { partNumber: number; etag: string }[] } | undefined;

  const sendPart = async (body: Buffer): Promise<void> => {
    if (multipart === undefined) {
      multipart = { ...(await (await write()).createMultipartUpload({ key: toKey, contentType: input.contentType })), parts: [] };
    }
    const partNumber = multipart.parts.length + 1;
    const contentMd5 = createHash('md5').update(body).digest('base64');
    const request = await (
      await write()
    ).presignUploadPart({
      key: toKey,
      uploadId: multipart.uploadId,
      partNumber,
      contentMd5,
      contentLength: body.byteLength,
    });
    multipart.parts.push({ partNumber, etag: await putPart(request.url, request.headers, body, toKey, signal) });
    input.onBytes?.(body.byteLength);
  };

  try {
    if (signal?.aborted) abort();
    for await (const chunk of object.body) {
      const bytes = chunk as Uint8Array;
      hash.update(bytes);
      total += bytes.byteLength;
      for (let offset = 0; offset < bytes.byteLength;) {
        // a full part goes only once more bytes follow: the last part must never be empty
        if (filled === partSizeBytes) {
          await sendPart(part.subarray(0, filled));
          filled = 0;
        }
        const taken = Math.min(partSizeBytes - filled, bytes.byteLength - offset);
        part.set(bytes.subarray(offset, offset + taken), filled);
        filled += taken;
        offset += taken;
      }
      garbage.consumed(bytes.byteLength);
    }
    const body = part.subarray(0, filled);
    const sha256 = hash.digest('hex');
    if (multipart === undefined) {
      // the whole object is this one body: its hash is the one just computed (the store checks it)
      await (await write()).putObject({ key: toKey, body, contentType: input.contentType, sha256Hex: sha256, ...(tags ? { tags } : {}) });
      input.onBytes?.(body.byteLength);
    } else {
      await sendPart(body);
      await (await write()).completeMultipartUpload({ key: toKey, uploadId: multipart.uploadId, parts: multipart.parts });
      multipart = undefined; // assembled: nothing left to abort if tagging fails
      if (tags) await (await write()).putObjectTagging({ key: toKey, tags });
    }
    return { sizeBytes: total, sha256 };
  } catch (error) {
    object.body.destroy();
    if (multipart !== undefined) {
      const { uploadId } = multipart;
      await write()
        .then((store) => store.abortMultipartUpload({ key: toKey, uploadId }))
        .catch(() => undefined); // best effort: the original error is what matters
    }
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

/**
 * Part buffers kept for reuse: a copy takes one and gives it back when it is done, so copies one
 * after another fill the same memory instead of allocating (and page-faulting) a part-sized buffer
 * for every object. Holds at most as many buffers as copies ran at once, each `partSizeBytes`.
 */
export class PartBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly partSizeBytes: number) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.partSizeBytes);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

const SOURCE_OBJECT_TAGS: ObjectTags = { [SOURCE_TAG.Key]: SOURCE_TAG.Value };

/**
 * Whether a key is a media's source: `<prefix>/media/<id>/source/<file>`. The file and the media id
 * are single segments (sanitizeFilename turns `/` into `_`), so the segments before the last are
 * fixed whatever the prefix holds.
 */
export function isSourceKey(key: string): boolean {
  const segments = key.split('/');
  return segments.length >= 4 && segments.at(-2) === SOURCE_SEGMENT && segments.at(-4) === MEDIA_SEGMENT;
}

async function putPart(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  key: string,
  signal?: AbortSignal,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'PUT', headers, body, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    throw storageErrorFromAws({ service: 's3', operation: 'UploadPart', ...(typeof code === 'string' ? { code } : {}) }, { key }, error);
  }
  const text = await response.text();
  if (!response.ok) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    throw storageErrorFromAws({ service: 's3', operation: 'UploadPart', httpStatus: response.status, ...(code ? { code } : {}) }, { key });
  }
  const etag = response.headers.get('etag');
  if (!etag) {
    throw new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'The storage service accepted a part without an ETag.', {
      details: { service: 's3', operation: 'UploadPart', key },
    });
  }
  return etag;
}
