import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@isola/tenant-storage';
import { uploadRendition } from './upload-rendition.js';

const PART = 5 * 1024 * 1024;

/** A bucket's part endpoint on loopback: checks each part against its Content-MD5, keeps the bytes. */
async function partServer(): Promise<{ server: Server; origin: string; parts: Map<number, Buffer> }> {
  const parts = new Map<number, Buffer>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const partNumber = Number(new URL(req.url!, 'http://x').searchParams.get('partNumber'));
      if (createHash('md5').update(body).digest('base64') !== req.headers['content-md5']) {
        res.writeHead(400).end('<Error><Code>BadDigest</Code></Error>');
        return;
      }
      parts.set(partNumber, body);
      res.writeHead(200, { etag: `"p${partNumber}"` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, parts };
}

describe('uploadRendition (multipart)', () => {
  let dir: string;
  let bucket: Awaited<ReturnType<typeof partServer>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isola-upload-rendition-'));
    bucket = await partServer();
  });
  afterAll(async () => {
    bucket.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends every part with its own bytes (streamed from the file), completes in order and hashes the whole file', async () => {
    const bytes = randomBytes(2 * PART + 12345); // three parts, the last one short
    const file = join(dir, 'proxy.mp4');
    await writeFile(file, bytes);
    const completed: Array<{ partNumber: number; etag: string }>[] = [];
    const store = {
      createMultipartUpload: async () => ({ uploadId: 'u1' }),
      presignUploadPart: async (input: { partNumber: number; contentMd5: string }) => ({
        url: `${bucket.origin}/k?partNumber=${input.partNumber}&uploadId=u1`,
        headers: { 'content-md5': input.contentMd5 },
      }),
      completeMultipartUpload: async (input: { parts: Array<{ partNumber: number; etag: string }> }) => {
        completed.push(input.parts);
        return {};
      },
      abortMultipartUpload: async () => {
        throw new Error('not expected');
      },
    } as unknown as ObjectStore;

    const uploaded = await uploadRendition(async () => store, {
      key: 'k',
      file,
      contentType: 'video/mp4',
      multipart: true,
      partSizeBytes: PART,
    });

    expect(uploaded).toEqual({ sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(completed).toEqual([
      [
        { partNumber: 1, etag: '"p1"' },
        { partNumber: 2, etag: '"p2"' },
        { partNumber: 3, etag: '"p3"' },
      ],
    ]);
    expect(Buffer.concat([1, 2, 3].map((n) => bucket.parts.get(n)!)).equals(bytes)).toBe(true);
  });

  it('aborts the upload when the bucket refuses a part, and says why', async () => {
    const file = join(dir, 'refused.mp4');
    await writeFile(file, randomBytes(PART + 1));
    let aborted = 0;
    const store = {
      createMultipartUpload: async () => ({ uploadId: 'u2' }),
      // a wrong Content-MD5: the part server answers 400 BadDigest, as S3 does
      presignUploadPart: async (input: { partNumber: number }) => ({
        url: `${bucket.origin}/k?partNumber=${input.partNumber}&uploadId=u2`,
        headers: { 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
      }),
      completeMultipartUpload: async () => {
        throw new Error('not expected');
      },
      abortMultipartUpload: async () => {
        aborted += 1;
      },
    } as unknown as ObjectStore;
    const upload = uploadRendition(async () => store, { key: 'k', file, contentType: 'video/mp4', multipart: true, partSizeBytes: PART });
    await expect(upload).rejects.toMatchObject({ details: expect.objectContaining({ operation: 'UploadPart', httpStatus: 400 }) });
    expect(aborted).toBe(1);
  });
});
