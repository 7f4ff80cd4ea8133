import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StorageError, StorageErrorCode, storageErrorFromAws, type ObjectStore } from '@isola/tenant-storage';
import { emptyBody, putPresigned, type PresignedPutAnswer } from '../common/put-presigned.js';
import { StreamGarbage } from '../common/stream-garbage.js';

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
 * streamed from the file to presigned part URLs with their MD5 signed in (the store refuses a
 * corrupted part); a failed upload is aborted so it leaves no parts behind.
 */
export async function uploadRendition(store: () => Promise<ObjectStore>, input: UploadRenditionInput): Promise<UploadedRendition> {
  if (!input.multipart) {
    const body = await readFile(input.file);
    await (await store()).putObject({ key: input.key, body, contentType: input.contentType });
    return { sizeBytes: body.byteLength, sha256: createHash('sha256').update(body).digest('hex') };
  }

  const { key, file } = input;
  const { uploadId } = await (await store()).createMultipartUpload({ key, contentType: input.contentType });
  try {
    const { size } = await stat(file);
    const hash = createHash('sha256');
    const garbage = new StreamGarbage(); // each part is read twice: its buffers are collected as it goes
    const parts: { partNumber: number; etag: string }[] = [];
    // Each part is read from scratch twice — once for its MD5 (signed in) and the file's SHA-256, once
    // streamed into the PUT — so the worker never holds a part in memory, however large parts are.
    for (let offset = 0, partNumber = 1; offset < size || partNumber === 1; offset += input.partSizeBytes, partNumber += 1) {
      const length = Math.min(input.partSizeBytes, size - offset);
      const contentMd5 = await hashPart(file, offset, length, hash, garbage);
      const request = await (await store()).presignUploadPart({ key, uploadId, partNumber, contentMd5, contentLength: length });
      const body = length === 0 ? emptyBody() : createReadStream(file, { start: offset, end: offset + length - 1, highWaterMark: 1 << 20 });
      parts.push({ partNumber, etag: await putPart(request.url, request.headers, body, length, key, input.signal) });
      garbage.consumed(length); // the part's read buffers, once it is sent
    }
    await (await store()).completeMultipartUpload({ key, uploadId, parts });
    return { sizeBytes: size, sha256: hash.digest('hex') };
  } catch (error) {
    await store()
      .then((s) => s.abortMultipartUpload({ key, uploadId }))
      .catch(() => undefined); // best effort: the original error is what matters
    throw error;
  }
}

/** The part's base64 MD5; its bytes also go into `whole` (parts are hashed in order). */
async function hashPart(file: string, start: number, length: number, whole: Hash, garbage: StreamGarbage): Promise<string> {
  const md5 = createHash('md5');
  if (length > 0) {
    for await (const chunk of createReadStream(file, { start, end: start + length - 1, highWaterMark: 1 << 20 })) {
      md5.update(chunk as Buffer);
      whole.update(chunk as Buffer);
      garbage.consumed((chunk as Buffer).byteLength);
    }
  }
  return md5.digest('base64');
}

async function putPart(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Readable,
  length: number,
  key: string,
  signal?: AbortSignal,
): Promise<string> {
  let answer: PresignedPutAnswer;
  try {
    answer = await putPresigned(url, headers, body, length, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw storageErrorFromAws({ service: 's3', operation: 'UploadPart', ...networkCode(error) }, { key }, error);
  }
  if (answer.status < 200 || answer.status > 299) {
    const code = /<Code>([^<]+)<\/Code>/.exec(answer.text)?.[1];
    throw storageErrorFromAws({ service: 's3', operation: 'UploadPart', httpStatus: answer.status, ...(code ? { code } : {}) }, { key });
  }
  if (!answer.etag) {
    throw new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'The storage service accepted a part without an ETag.', {
      details: { service: 's3', operation: 'UploadPart', key },
    });
  }
  return answer.etag;
}

/** A network error's code (ECONNREFUSED…): on the error itself (node:http) or its cause (fetch). */
function networkCode(error: unknown): { code?: string } {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  return typeof code === 'string' ? { code } : {};
}
