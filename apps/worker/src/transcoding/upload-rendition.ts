import { createHash } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { StorageError, StorageErrorCode, storageErrorFromAws, type ObjectStore } from '@isola/tenant-storage';

export interface UploadRenditionInput {
  key: string;
  /** The rendition in the job's scratch folder. */
  file: string;
  contentType: string;
  /** Multipart (large renditions) or one PUT (small images). */
  multipart: boolean;
  partSizeBytes: number;
  signal?: AbortSignal;
}

export interface UploadedRendition {
  sizeBytes: number;
  /** Hex SHA-256 of what was written (DECISIONS.md: renditions record one as sources do). */
  sha256: string;
}

/**
 * Writes a rendition from scratch into the studio's bucket. `store` is asked again for every
 * request, so a long upload picks up renewed credentials (within the grant). Multipart parts are
 * PUT to presigned part URLs with their MD5 signed in (the store refuses a corrupted part); a
 * failed upload is aborted so it leaves no parts behind.
 */
export async function uploadRendition(store: () => Promise<ObjectStore>, input: UploadRenditionInput): Promise<UploadedRendition> {
  if (!input.multipart) {
    const body = await readFile(input.file);
    await (await store()).putObject({ key: input.key, body, contentType: input.contentType });
    return { sizeBytes: body.byteLength, sha256: createHash('sha256').update(body).digest('hex') };
  }

  const { key } = input;
  const { uploadId } = await (await store()).createMultipartUpload({ key, contentType: input.contentType });
  const file = await open(input.file, 'r');
  try {
    const { size } = await file.stat();
    const hash = createHash('sha256');
    const parts: { partNumber: number; etag: string }[] = [];
    // One buffer for every part (each PUT ends before the next read): a fresh 16 MiB buffer per part
    // lives outside V8's heap until a GC notices it, and a long proxy would pile them up in RSS.
    const buffer = Buffer.allocUnsafe(Math.min(input.partSizeBytes, Math.max(size, 1)));
    for (let offset = 0, partNumber = 1; offset < size || partNumber === 1; offset += input.partSizeBytes, partNumber += 1) {
      const length = Math.min(input.partSizeBytes, size - offset);
      const body = buffer.subarray(0, length);
      await readFully(file, body, offset);
      hash.update(body);
      const contentMd5 = createHash('md5').update(body).digest('base64');
      const request = await (await store()).presignUploadPart({ key, uploadId, partNumber, contentMd5, contentLength: length });
      parts.push({ partNumber, etag: await putPart(request.url, request.headers, body, key, input.signal) });
    }
    await (await store()).completeMultipartUpload({ key, uploadId, parts });
    return { sizeBytes: size, sha256: hash.digest('hex') };
  } catch (error) {
    await store()
      .then((s) => s.abortMultipartUpload({ key, uploadId }))
      .catch(() => undefined); // best effort: the original error is what matters
    throw error;
  } finally {
    await file.close();
  }
}

/** Fills `body` from `position` (a read may return fewer bytes than asked). */
async function readFully(file: FileHandle, body: Buffer, position: number): Promise<void> {
  for (let filled = 0; filled < body.length;) {
    const { bytesRead } = await file.read(body, filled, body.length - filled, position + filled);
    if (bytesRead === 0) throw new Error(`The rendition ended ${body.length - filled} bytes early at ${position + filled}`);
    filled += bytesRead;
  }
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
    throw storageErrorFromAws({ service: 's3', operation: 'UploadPart', ...networkCode(error) }, { key }, error);
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

function networkCode(error: unknown): { code?: string } {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? { code } : {};
}
