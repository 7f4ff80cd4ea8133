import { createHash } from 'node:crypto';
import type { ObjectStore } from '@isola/tenant-storage';
import { StreamGarbage } from '../common/stream-garbage.js';
import { SNIFF_BYTES } from './sniff-container.js';

export interface SourceDigest {
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
  sizeBytes: number;
  /** The first bytes, for `sniffContainer`. */
  head: Uint8Array;
}

/**
 * Streams the source object once through SHA-256 (GET with the transcode credential), keeping only
 * its first bytes: nothing is written to disk, and its read buffers are collected as it goes
 * (`StreamGarbage`). `onProgress` gets the fraction read when the size is known.
 */
export async function readSource(
  store: ObjectStore,
  key: string,
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<SourceDigest> {
  const object = await store.getObject(key);
  const hash = createHash('sha256');
  const garbage = new StreamGarbage(); // a 4 GiB source must not raise the worker's memory
  const head = Buffer.alloc(SNIFF_BYTES);
  let headLength = 0;
  let sizeBytes = 0;
  const abort = () => object.body.destroy(new DOMException('The job was aborted', 'AbortError'));
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (options.signal?.aborted) abort();
    for await (const chunk of object.body) {
      const bytes = chunk as Uint8Array;
      hash.update(bytes);
      if (headLength < SNIFF_BYTES) headLength += Buffer.from(bytes.subarray(0, SNIFF_BYTES - headLength)).copy(head, headLength);
      sizeBytes += bytes.byteLength;
      garbage.consumed(bytes.byteLength);
      if (object.size > 0) options.onProgress?.(Math.min(1, sizeBytes / object.size));
    }
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  return { sha256: hash.digest('hex'), sizeBytes, head: head.subarray(0, headLength) };
}
