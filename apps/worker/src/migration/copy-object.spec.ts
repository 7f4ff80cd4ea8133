import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageErrorCode, renditionKey, sourceKey, type PutObjectInput, type StoredObject } from '@isola/tenant-storage';
import { InMemoryObjectStore } from '../transcoding/testing/in-memory-object-store.js';
import { copyObject, isSourceKey } from './copy-object.js';

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

/** Records the tags each PUT carried. */
class TagRecordingStore extends InMemoryObjectStore {
  readonly tags = new Map<string, PutObjectInput['tags']>();
  override async putObject(input: PutObjectInput): Promise<{ etag?: string }> {
    this.tags.set(input.key, input.tags);
    return super.putObject(input);
  }
}

describe('copyObject', () => {
  it('streams an object that fits in one part into one PUT, hashing it on the way', async () => {
    const from = new ChunkedStore();
    const to = new InMemoryObjectStore();
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

    expect(copied).toEqual({ sizeBytes: body.byteLength, sha256: createHash('sha256').update(body).digest('hex') });
    expect(to.objects.get('new/media/m/source/a.txt')).toEqual({ body, contentType: 'text/plain' });
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
