import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';

import { sourceKey, renditionKey } from '../../src/object-keys.js';
import type { ObjectStore } from '../../src/object-store.port.js';
import type { S3ObjectStore } from '../../src/s3-object-store.adapter.js';
import { S3ObjectStoreFactory } from '../../src/s3-object-store.factory.js';
import { StorageError } from '../../src/storage-error.js';
import { openLocalStudio, type LocalStudio } from './local-studio.js';

/**
 * The S3 adapter against the real local Ceph RGW: presigned URLs used with plain fetch, the way a
 * browser uses them, signed with temporary credentials from STS.
 */
const MiB = 1024 * 1024;

let local: LocalStudio;
let factory: S3ObjectStoreFactory;
let store: ObjectStore;

beforeAll(async () => {
  local = await openLocalStudio('object-store');
  factory = new S3ObjectStoreFactory();
  store = factory.forCredentials(local.target, await local.assume());
});

afterAll(async () => {
  factory?.destroy();
  await local?.close();
});

const key = (name: string) => sourceKey(local.target.prefix, `m-${randomBytes(4).toString('hex')}`, name);

describe('presigned single PUT', () => {
  it('uploads with the signed content type and length, and refuses any other', async () => {
    const objectKey = key('clip.mp4');
    const body = randomBytes(1000);
    const put = await store.presignPut({ key: objectKey, contentType: 'video/mp4', contentLength: body.length });
    expect(put.url).toContain('X-Amz-Security-Token=');
    expect(new URL(put.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');

    const wrongType = await fetch(put.url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body });
    expect(wrongType.status).toBe(403);
    const wrongLength = await fetch(put.url, { method: 'PUT', headers: put.headers, body: randomBytes(1001) });
    expect(wrongLength.status).toBe(403);

    const ok = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    expect(ok.status).toBe(200);
    const head = await store.headObject(objectKey);
    expect(head).toMatchObject({ key: objectKey, size: 1000, contentType: 'video/mp4' });
    const stored = await local.admin.s3.send(new GetObjectCommand({ Bucket: local.studio.bucket, Key: objectKey }));
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
  });
});

describe('presigned POST policy', () => {
  it('accepts the exact key and type within the size range; refuses oversize (400), another key or type (403)', async () => {
    const objectKey = key('poster.jpg');
    const post = await store.presignPost({ key: objectKey, contentType: 'image/jpeg', maxBytes: 2048 });
    const send = (fields: Record<string, string>, size: number) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('file', new Blob([randomBytes(size)]), 'poster.jpg');
      return fetch(post.url, { method: 'POST', body: form });
    };

    expect((await send(post.fields, 4096)).status).toBe(400);
    expect((await send({ ...post.fields, key: key('other.jpg') }, 100)).status).toBe(403);
    expect((await send({ ...post.fields, 'Content-Type': 'text/html' }, 100)).status).toBe(403);
    expect((await send(post.fields, 2048)).status).toBe(204);
    expect((await store.headObject(objectKey)).size).toBe(2048);
  });
});

describe('multipart upload', () => {
  it('creates, signs parts, lists, completes; HEAD has the assembled size', async () => {
    const objectKey = key('long take.mov');
    const parts = [randomBytes(5 * MiB), randomBytes(1234)];
    const { uploadId } = await store.createMultipartUpload({ key: objectKey, contentType: 'video/quicktime' });

    const etags: string[] = [];
    for (const [index, bytes] of parts.entries()) {
      const part = await store.presignUploadPart({ key: objectKey, uploadId, partNumber: index + 1, contentLength: bytes.length });
      const response = await fetch(part.url, { method: 'PUT', headers: part.headers, body: bytes });
      expect(response.status).toBe(200);
      etags.push(response.headers.get('etag') ?? '');
    }

    const listed = await store.listParts({ key: objectKey, uploadId });
    expect(listed).toEqual([
      { partNumber: 1, etag: etags[0], size: 5 * MiB },
      { partNumber: 2, etag: etags[1], size: 1234 },
    ]);
    await store.completeMultipartUpload({ key: objectKey, uploadId, parts: listed });
    const head = await store.headObject(objectKey);
    expect(head.size).toBe(5 * MiB + 1234);
    expect(head.contentType).toBe('video/quicktime');
  });

  it('refuses a part whose bytes do not match the signed Content-MD5', async () => {
    const objectKey = key('checked.mov');
    const { uploadId } = await store.createMultipartUpload({ key: objectKey, contentType: 'video/quicktime' });
    const bytes = randomBytes(4096);
    const contentMd5 = createHash('md5').update(bytes).digest('base64');
    const part = await store.presignUploadPart({ key: objectKey, uploadId, partNumber: 1, contentMd5 });
    expect(part.headers).toEqual({ 'content-md5': contentMd5 });

    const corrupted = Buffer.from(bytes);
    corrupted[100] = (corrupted[100] ?? 0) ^ 0xff;
    const refused = await fetch(part.url, { method: 'PUT', headers: part.headers, body: corrupted });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('BadDigest');
    const withoutHeader = await fetch(part.url, { method: 'PUT', body: bytes });
    expect(withoutHeader.status).toBe(403);

    const accepted = await fetch(part.url, { method: 'PUT', headers: part.headers, body: bytes });
    expect(accepted.status).toBe(200);
    await store.abortMultipartUpload({ key: objectKey, uploadId });
    await expect(store.listParts({ key: objectKey, uploadId })).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
  });
});

describe('GET links', () => {
  const bytes = randomBytes(3000);
  let objectKey: string;
  let otherKey: string;

  beforeAll(async () => {
    objectKey = key('Café présentation «final».mp4');
    otherKey = renditionKey(local.target.prefix, 'm-other', '720p.mp4');
    await local.admin.s3.send(new PutObjectCommand({ Bucket: local.studio.bucket, Key: objectKey, Body: bytes, ContentType: 'video/mp4' }));
    await local.admin.s3.send(
      new PutObjectCommand({ Bucket: local.studio.bucket, Key: otherKey, Body: 'other', ContentType: 'video/mp4' }),
    );
  });

  it('returns the bytes with the requested Content-Disposition', async () => {
    const link = await store.presignGet({ key: objectKey, filename: 'Café présentation «final».mp4' });
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Caf_ pr_sentation _final_.mp4"; filename*=UTF-8''Caf%C3%A9%20pr%C3%A9sentation%20%C2%ABfinal%C2%BB.mp4`,
    );
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('is refused once expired', async () => {
    const link = await store.presignGet({ key: objectKey, expiresInSeconds: 1 });
    expect((await fetch(link.url)).status).toBe(200);
    await sleep(Math.max(0, link.expiresAt.getTime() - Date.now()) + 1_100);
    expect((await fetch(link.url)).status).toBe(403);
  });

  it('is refused with a tampered signature or another key', async () => {
    const link = await store.presignGet({ key: objectKey });
    const tampered = new URL(link.url);
    const signature = tampered.searchParams.get('X-Amz-Signature') ?? '';
    tampered.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    expect((await fetch(tampered)).status).toBe(403);

    const moved = new URL(link.url);
    moved.pathname = `/${local.studio.bucket}/${otherKey}`;
    expect((await fetch(moved)).status).toBe(403);
    expect((await fetch((await store.presignGet({ key: otherKey })).url)).status).toBe(200);
  });
});

describe('S3 calls and their errors', () => {
  it('reads and writes objects', async () => {
    const objectKey = renditionKey(local.target.prefix, 'm-rw', 'poster.jpg');
    await store.putObject({ key: objectKey, body: 'poster', contentType: 'image/jpeg' });
    const object = await store.getObject(objectKey);
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe('poster');
    expect(object).toMatchObject({ size: 6, contentType: 'image/jpeg' });
  });

  it('signs a known body hash in as the payload hash: the right one is stored, a wrong one refused', async () => {
    const body = randomBytes(64 * 1024);
    const sha256Hex = createHash('sha256').update(body).digest('hex');
    const objectKey = key('hashed.bin');
    await store.putObject({ key: objectKey, body, contentType: 'application/octet-stream', sha256Hex });
    const stored = await store.getObject(objectKey);
    const chunks: Buffer[] = [];
    for await (const chunk of stored.body) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')).toBe(sha256Hex);

    const otherKey = key('corrupt.bin');
    const wrong = createHash('sha256').update('other bytes').digest('hex');
    const refused = await store
      .putObject({ key: otherKey, body, contentType: 'application/octet-stream', sha256Hex: wrong })
      .catch((e: unknown) => e);
    // bytes that do not match their signed hash were corrupted on the way: worth sending again, not a denial
    expect(refused).toBeInstanceOf(StorageError);
    expect(refused).toMatchObject({ code: 'STORAGE_UNAVAILABLE', retryable: true, details: { awsCode: 'XAmzContentSHA256Mismatch' } });
    await expect(store.headObject(otherKey)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(store.putObject({ key: otherKey, body, contentType: 'x/y', sha256Hex: 'ABC' })).rejects.toThrow(RangeError);
  });

  it('translates NoSuchKey, NoSuchBucket and AccessDenied into domain codes', async () => {
    await expect(store.headObject(key('missing.mp4'))).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await expect(store.getObject(key('missing.mp4'))).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });

    const credentials = await local.assume();
    const noBucket = factory.forCredentials({ ...local.target, bucket: `${local.studio.bucket}-gone` }, credentials);
    await expect(noBucket.createMultipartUpload({ key: key('x.mp4'), contentType: 'video/mp4' })).rejects.toMatchObject({
      code: 'BUCKET_NOT_FOUND',
    });

    const readOnly = await local.assume({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${local.studio.bucket}/*`] }],
    });
    const denied = await factory
      .forCredentials(local.target, readOnly)
      .putObject({ key: key('denied.txt'), body: 'x', contentType: 'text/plain' })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(StorageError);
    expect(denied).toMatchObject({ code: 'PERMISSION_DENIED', details: { httpStatus: 403, operation: 'PutObject' } });
    expect(JSON.stringify((denied as StorageError).details)).not.toContain(readOnly.sessionToken);
  });

  it('serves every credential from one keep-alive connection pool', async () => {
    const pooled = new S3ObjectStoreFactory();
    try {
      const first = pooled.forCredentials(local.target, await local.assume());
      const second = pooled.forCredentials(local.target, await local.assume());
      expect(second).not.toBe(first);
      const objectKey = key('pooled.txt');
      await first.putObject({ key: objectKey, body: 'pooled', contentType: 'text/plain' });
      await second.headObject(objectKey);
      await first.headObject(objectKey);
      // one request at a time: one socket, reused by both stores' clients
      expect(pooled.openConnections).toBe(1);
      (second as S3ObjectStore).destroy(); // a store dropped does not cut the pool
      await first.headObject(objectKey);
      expect(pooled.openConnections).toBe(1);
    } finally {
      pooled.destroy();
    }
    // destroyed sockets leave the pool on their 'close' event
    for (let i = 0; i < 200 && pooled.openConnections > 0; i += 1) await sleep(10);
    expect(pooled.openConnections).toBe(0);
  });

  it('keeps one store per target and credential', async () => {
    const credentials = await local.assume();
    const a = factory.forCredentials(local.target, credentials);
    expect(factory.forCredentials({ ...local.target }, credentials)).toBe(a);
    expect(factory.forCredentials({ ...local.target, prefix: 'elsewhere' }, credentials)).not.toBe(a);
    expect(factory.forCredentials(local.target, await local.assume())).not.toBe(a);
  });
});
