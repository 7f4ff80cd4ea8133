import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  StorageErrorCode,
  renditionKey,
  sourceKey,
  type CompleteMultipartUploadInput,
  type PresignUploadPartInput,
  type PresignedRequest,
  type PutObjectInput,
  type StoredObject,
} from '@isola/tenant-storage';
import { InMemoryObjectStore } from '../transcoding/testing/in-memory-object-store.js';
import { copyObject, isSourceKey, PartBuffers } from './copy-object.js';

/** A store whose GET streams the object in small chunks, as S3 does. */
class ChunkedStore extends InMemoryObjectStore {
  override async getObject(key: string): Promise<StoredObject> {
    const object = await super.getObject(key);
    const body = this.objects.get(key)!.body;
    object.body.destroy();
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.byteLength; i += 7) chunks.push(body.subarray(i, i + 7));
    return { ...object, body: Readable.from(chunks) };
  }
}

/**
 * Multipart in memory: parts are "PUT" to `memory://part/<n>` URLs (the test's fetch stub keeps
 * their bodies) and assembled in order on completion.
 */
class MultipartStore extends InMemoryObjectStore {
  readonly parts = new Map<number, Buffer>();
  override async createMultipartUpload(): Promise<{ uploadId: string }> {
    return { uploadId: 'upload-1' };
  }
  override async presignUploadPart(input: PresignUploadPartInput): Promise<PresignedRequest> {
    return { method: 'PUT', url: `memory://part/${input.partNumber}`, headers: {}, expiresAt: new Date(Date.now() + 60_000) };
  }
  override async completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<{ etag?: string }> {
    this.put(input.key, Buffer.concat(input.parts.map((p) => this.parts.get(p.partNumber)!)));
    this.writes.push(input.key);
    return {};
  }
  override async abortMultipartUpload(): Promise<void> {}
  override async putObjectTagging(): Promise<void> {}
}

/** Runs `work` with `fetch` answering part PUTs into `store` (copied: the caller's buffer is reused). */
async function withPartUploads<T>(store: MultipartStore, work: () => Promise<T>): Promise<T> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string | URL, init?: RequestInit) => {
    const partNumber = Number(String(url).split('/').at(-1));
    store.parts.set(partNumber, Buffer.from(init!.body as Uint8Array));
    return new Response('', { status: 200, headers: { etag: `"etag-${partNumber}"` } });
  }) as typeof fetch;
  try {
    return await work();
  } finally {
    globalThis.fetch = realFetch;
  }
}

/** Records the tags and the payload hash each PUT carried. */
class TagRecordingStore extends InMemoryObjectStore {
  readonly tags = new Map<string, PutObjectInput['tags']>();
  readonly payloadHashes = new Map<string, PutObjectInput['sha256Hex']>();
  override async putObject(input: PutObjectInput): Promise<{ etag?: string }> {
    this.tags.set(input.key, input.tags);
    this.payloadHashes.set(input.key, input.sha256Hex);
    return super.putObject(input);
  }
}

describe('copyObject', () => {
  it('streams an object that fits in one part into one PUT, hashing it on the way once', async () => {
    const from = new ChunkedStore();
    const to = new TagRecordingStore();
    const body = Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(20));
    from.put('old/media/m/source/a.txt', body, 'text/plain');
    const written: number[] = [];

    const copied = await copyObject(
      async () => from,
      async () => to,
      {
        fromKey: 'old/media/m/source/a.txt',
        toKey: 'new/media/m/source/a.txt',
        contentType: 'text/plain',
        partSizeBytes: 5 * 1024 * 1024,
        onBytes: (n) => written.push(n),
      },
    );

    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(copied).toEqual({ sizeBytes: body.byteLength, sha256 });
    expect(to.objects.get('new/media/m/source/a.txt')).toEqual({ body, contentType: 'text/plain' });
    // the PUT signs the hash already computed in (the SDK need not hash the body again)
    expect(to.payloadHashes.get('new/media/m/source/a.txt')).toBe(sha256);
    expect(to.writes).toEqual(['new/media/m/source/a.txt']);
    expect(written).toEqual([body.byteLength]);
  });

  it('writes a source with the source tag (for the IA lifecycle rule), a rendition without', async () => {
    const from = new InMemoryObjectStore();
    const to = new TagRecordingStore();
    const source = sourceKey('new', 'm1', 'clip (1).mov');
    const rendition = renditionKey('new', 'm1', 'poster.jpg');
    from.put('a', 'source bytes');
    from.put('b', 'poster bytes');
    for (const [fromKey, toKey] of [
      ['a', source],
      ['b', rendition],
    ] as const) {
      await copyObject(
        async () => from,
        async () => to,
        { fromKey, toKey, contentType: 'x/y', partSizeBytes: 1024 },
      );
    }
    expect(to.tags.get(source)).toEqual({ 'isola-object-kind': 'source' });
    expect(to.tags.get(rendition)).toBeUndefined();
  });

  it('sends a bigger object as parts of exactly the part size and the rest, never an empty last part', async () => {
    const body = Buffer.from('abcdefghijklmnopqrstuvwxy'); // 25 bytes, read 7 at a time: chunks straddle the parts
    for (const [size, expected] of [
      [25, [10, 10, 5]],
      [20, [10, 10]],
      [11, [10, 1]],
    ] as const) {
      const from = new ChunkedStore();
      const to = new MultipartStore();
      from.put('k', body.subarray(0, size));
      const copied = await withPartUploads(to, () =>
        copyObject(
          async () => from,
          async () => to,
          { fromKey: 'k', toKey: 'k2', contentType: 'x/y', partSizeBytes: 10 },
        ),
      );
      expect([...to.parts.values()].map((p) => p.byteLength)).toEqual(expected);
      expect(to.objects.get('k2')?.body).toEqual(body.subarray(0, size));
      expect(copied).toEqual({ sizeBytes: size, sha256: createHash('sha256').update(body.subarray(0, size)).digest('hex') });
    }
  });

  it('sends an object of exactly one part as a single PUT', async () => {
    const from = new ChunkedStore();
    const to = new MultipartStore();
    from.put('k', Buffer.alloc(10, 7));
    await withPartUploads(to, () =>
      copyObject(
        async () => from,
        async () => to,
        { fromKey: 'k', toKey: 'k2', contentType: 'x/y', partSizeBytes: 10 },
      ),
    );
    expect(to.parts.size).toBe(0);
    expect(to.objects.get('k2')?.body).toEqual(Buffer.alloc(10, 7));
  });

  it("gathers the parts in the caller's buffer, reused from copy to copy, and each object keeps its own bytes", async () => {
    const from = new ChunkedStore();
    const to = new MultipartStore();
    from.put('one', Buffer.from('first object, one part'));
    from.put('two', Buffer.from('the second object spans three parts'));
    const buffers = new PartBuffers(16);
    const buffer = buffers.take();
    for (const key of ['one', 'two']) {
      await withPartUploads(to, () =>
        copyObject(
          async () => from,
          async () => to,
          { fromKey: key, toKey: `copy of ${key}`, contentType: 'x/y', partSizeBytes: 16, buffer },
        ),
      );
    }
    buffers.give(buffer);
    expect(to.objects.get('copy of one')?.body.toString()).toBe('first object, one part');
    expect(to.objects.get('copy of two')?.body.toString()).toBe('the second object spans three parts');
    expect(buffer.subarray(0, 3).toString()).toBe('rts'); // the last part ("rts") went through the caller's buffer
    expect(buffers.take()).toBe(buffer); // given back, handed out again
    expect(buffers.take()).not.toBe(buffer); // a second copy at once gets its own
  });

  it('tells sources from other keys by their place in the media folder, whatever the prefix', () => {
    expect(isSourceKey(sourceKey('', 'm1', 'a.mp4'))).toBe(true);
    expect(isSourceKey(sourceKey('studio/media/x/source', 'm1', 'source'))).toBe(true);
    expect(isSourceKey(renditionKey('', 'm1', 'source'))).toBe(false);
    expect(isSourceKey(renditionKey('media/m0/source', 'm1', '720p.mp4'))).toBe(false);
    expect(isSourceKey('source/a.mp4')).toBe(false);
  });

  it('copies an empty object', async () => {
    const from = new InMemoryObjectStore();
    const to = new InMemoryObjectStore();
    from.put('k0', '');
    expect(
      await copyObject(
        async () => from,
        async () => to,
        { fromKey: 'k0', toKey: 'k1', contentType: 'x/y', partSizeBytes: 5 },
      ),
    ).toEqual({
      sizeBytes: 0,
      sha256: createHash('sha256').digest('hex'),
    });
    expect(to.objects.get('k1')?.body.byteLength).toBe(0);
  });

  it('writes nothing when the source is missing, and says so with the storage error', async () => {
    const to = new InMemoryObjectStore();
    await expect(
      copyObject(
        async () => new InMemoryObjectStore(),
        async () => to,
        { fromKey: 'gone', toKey: 'k', contentType: 'x/y', partSizeBytes: 5 },
      ),
    ).rejects.toMatchObject({ code: StorageErrorCode.OBJECT_NOT_FOUND });
    expect(to.writes).toEqual([]);
  });

  it('stops when the job is aborted', async () => {
    const from = new ChunkedStore();
    const to = new InMemoryObjectStore();
    from.put('k', Buffer.alloc(1000, 1));
    const controller = new AbortController();
    controller.abort();
    await expect(
      copyObject(
        async () => from,
        async () => to,
        { fromKey: 'k', toKey: 'k2', contentType: 'x/y', partSizeBytes: 5000, signal: controller.signal },
      ),
    ).rejects.toThrow(/aborted/);
    expect(to.writes).toEqual([]);
  });
});
