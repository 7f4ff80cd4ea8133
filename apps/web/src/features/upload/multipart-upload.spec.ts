import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Limiter, MultipartUpload, planParts, type StoredPart, type UploadRef, type UploadTransport } from './multipart-upload';

const MiB = 1024 * 1024;
const md5Of = async (blob: Blob) =>
  createHash('md5')
    .update(new Uint8Array(await blob.arrayBuffer()))
    .digest('base64');

/** An in-memory bucket behind Isola's routes: records every call, checks each part against its Content-MD5. */
function fakeTransport({
  stored = [] as StoredPart[],
  refuse = new Set<number>(),
  expiresAt = () => new Date(Date.now() + 15 * 60_000).toISOString(),
} = {}) {
  const calls: string[] = [];
  const parts = new Map<number, StoredPart>(stored.map((p) => [p.partNumber, p]));
  let active = 0;
  let maxActive = 0;
  const transport: UploadTransport = {
    create: async (input) => {
      calls.push(`create ${input.filename} ${JSON.stringify(input.metadata)}`);
      return { uploadId: 'u1', key: 'media/m1/source/clip.mp4' };
    },
    signPart: async (_ref, partNumber) => {
      calls.push(`sign ${partNumber}`);
      return { url: `http://bucket.test/part/${partNumber}`, headers: { 'x-signed': 'yes' }, expiresAt: expiresAt() };
    },
    signParts: async (_ref, partNumbers) => {
      calls.push(`signs ${partNumbers.join(',')}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const presignedUrls = Object.fromEntries(partNumbers.map((n) => [String(n), `http://bucket.test/part/${n}`]));
      return { presignedUrls, headers: { 'x-signed': 'yes' }, expiresAt: expiresAt() };
    },
    listParts: async () => {
      calls.push('list');
      return [...parts.values()];
    },
    complete: async (_ref, done) => {
      calls.push(`complete ${done.map((p) => `${p.partNumber}:${p.etag}`).join(',')}`);
      return { location: '/api/media/m1', key: 'media/m1/source/clip.mp4', mediaId: 'm1' };
    },
    abort: async () => {
      calls.push('abort');
    },
    putPart: async (url, headers, body, signal, onProgress) => {
      const partNumber = Number(url.split('/').pop());
      calls.push(`put ${partNumber}`);
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        signal.throwIfAborted();
        // the signer's headers go along; the bucket checks the part against its Content-MD5
        if (headers['x-signed'] !== 'yes') throw new Error('SignatureDoesNotMatch');
        if (headers['Content-MD5'] !== (await md5Of(body))) throw new Error('BadDigest');
        if (refuse.has(partNumber)) throw new Error(`refused part ${partNumber}`);
        onProgress(body.size);
        parts.set(partNumber, { partNumber, etag: `"e${partNumber}"`, size: body.size });
        return `"e${partNumber}"`;
      } finally {
        active--;
      }
    },
  };
  return { transport, calls, maxActive: () => maxActive };
}

function anUpload(
  data: Blob,
  transport: UploadTransport,
  extra: { resume?: UploadRef; limit?: number; batch?: number; onProgress?: (up: number, total: number) => void } = {},
) {
  return new MultipartUpload({
    data,
    filename: 'clip.mp4',
    type: 'video/mp4',
    metadata: { size: data.size },
    transport,
    limiter: new Limiter(extra.limit ?? 6),
    resume: extra.resume,
    ...(extra.batch ? { signBatchSize: extra.batch } : {}),
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  });
}

const puts = (calls: string[]) =>
  calls
    .filter((c) => c.startsWith('put '))
    .map((c) => Number(c.slice(4)))
    .sort((a, b) => a - b);

describe('planParts', () => {
  it('cuts 5 MiB parts, the last one smaller', () => {
    expect(planParts(26 * MiB).map((p) => p.end - p.start)).toEqual([5, 5, 5, 5, 5, 1].map((n) => n * MiB));
    expect(planParts(3).map((p) => [p.partNumber, p.start, p.end])).toEqual([[1, 0, 3]]);
  });

  it('grows the parts when 10,000 of 5 MiB would not hold the file', () => {
    const parts = planParts(60_000 * MiB);
    expect(parts).toHaveLength(10_000);
    expect(parts.at(-1)!.end).toBe(60_000 * MiB);
  });
});

// the parts' MD5 is computed in JavaScript (as in the browser): slow on a loaded machine
describe('MultipartUpload', { timeout: 60_000 }, () => {
  it('creates the upload, sends every part with its Content-MD5, and completes with the parts in order', async () => {
    const data = new Blob([randomBytes(12 * MiB)]);
    const fake = fakeTransport();
    const progress: number[] = [];
    const outcome = await anUpload(data, fake.transport, { onProgress: (up) => progress.push(up) }).start();
    expect(outcome).toEqual({ status: 'complete', result: { location: '/api/media/m1', key: 'media/m1/source/clip.mp4', mediaId: 'm1' } });
    expect(fake.calls[0]).toBe(`create clip.mp4 {"size":${12 * MiB}}`);
    expect(puts(fake.calls)).toEqual([1, 2, 3]);
    expect(fake.calls.at(-1)).toBe('complete 1:"e1",2:"e2",3:"e3"');
    expect(progress.at(-1)).toBe(12 * MiB);
  });

  it('sends parts in parallel, never more than the limiter allows', async () => {
    const fake = fakeTransport();
    await anUpload(new Blob([new Uint8Array(26 * MiB)]), fake.transport, { limit: 2 }).start();
    expect(puts(fake.calls)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fake.maxActive()).toBe(2);
  });

  it('signs part URLs ahead in batches: every part asked for once, far fewer requests than parts', async () => {
    const fake = fakeTransport();
    await anUpload(new Blob([new Uint8Array(26 * MiB)]), fake.transport, { limit: 1, batch: 2 }).start();
    expect(puts(fake.calls)).toEqual([1, 2, 3, 4, 5, 6]);
    // the next batch is asked for when fewer than half a batch is left in hand
    const batches = fake.calls.filter((c) => c.startsWith('signs ')).map((c) => c.slice(6));
    expect(batches).toEqual(['1,2', '3,4', '5,6']);
    expect(fake.calls.some((c) => c.startsWith('sign '))).toBe(false);
  });

  it('signs a part again on its own when its batch URL is about to expire', async () => {
    // the batch's URLs expire in a minute (too soon to start a PUT); single signatures live 15
    const fake = fakeTransport();
    const signParts = fake.transport.signParts;
    fake.transport.signParts = async (...args) => ({
      ...(await signParts(...args)),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const outcome = await anUpload(new Blob([new Uint8Array(12 * MiB)]), fake.transport, { limit: 1, batch: 8 }).start();
    expect(outcome.status).toBe('complete');
    expect(fake.calls.filter((c) => c.startsWith('sign ')).sort()).toEqual(['sign 1', 'sign 2', 'sign 3']);
  });

  it('fails the upload when a batch cannot be signed, without completing it', async () => {
    const fake = fakeTransport();
    fake.transport.signParts = async () => {
      throw new Error('STORAGE_ACCESS_REVOKED');
    };
    await expect(anUpload(new Blob([new Uint8Array(12 * MiB)]), fake.transport).start()).rejects.toThrow('STORAGE_ACCESS_REVOKED');
    expect(fake.calls.some((c) => c.startsWith('complete'))).toBe(false);
  });

  it('resumes an upload created before a reload: lists the parts and sends only the missing ones', async () => {
    const stored = [
      { partNumber: 1, etag: '"s1"', size: 5 * MiB },
      { partNumber: 2, etag: '"s2"', size: 5 * MiB },
      { partNumber: 3, etag: '"s3"', size: 1234 }, // not this plan's part 3: sent again
    ];
    const fake = fakeTransport({ stored });
    const outcome = await anUpload(new Blob([new Uint8Array(17 * MiB)]), fake.transport, { resume: { uploadId: 'u1', key: 'k' } }).start();
    expect(outcome.status).toBe('complete');
    expect(fake.calls.some((c) => c.startsWith('create'))).toBe(false);
    expect(fake.calls[0]).toBe('list');
    expect(puts(fake.calls)).toEqual([3, 4]);
    expect(fake.calls.at(-1)).toBe('complete 1:"s1",2:"s2",3:"e3",4:"e4"');
  });

  it('pauses, then goes on with the parts still missing; abort discards the upload', async () => {
    const fake = fakeTransport();
    const upload = anUpload(new Blob([new Uint8Array(26 * MiB)]), fake.transport, { limit: 1 });
    const first = upload.start();
    // pause once the first part is on its way (not after a fixed sleep: a loaded machine is slower)
    while (puts(fake.calls).length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    upload.pause();
    expect(await first).toEqual({ status: 'stopped' });
    const sentBeforePause = puts(fake.calls).length;
    expect(sentBeforePause).toBeLessThan(6);
    expect(fake.calls.some((c) => c.startsWith('complete'))).toBe(false);

    expect((await upload.start()).status).toBe('complete');
    const finished = new Set(puts(fake.calls));
    expect([...finished].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    // only a part cut off by the pause is sent twice
    expect(puts(fake.calls).length - 6).toBeLessThanOrEqual(1);

    upload.abort();
    expect(fake.calls.at(-1)).toBe('abort');
  });

  it('fails when the bucket refuses a part, and completes nothing', async () => {
    const fake = fakeTransport({ refuse: new Set([2]) });
    await expect(anUpload(new Blob([new Uint8Array(12 * MiB)]), fake.transport).start()).rejects.toThrow('refused part 2');
    expect(fake.calls.some((c) => c.startsWith('complete'))).toBe(false);
  });
});
