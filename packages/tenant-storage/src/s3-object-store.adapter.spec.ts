import { Sha256 } from '@aws-crypto/sha256-js';
import type { S3Client } from '@aws-sdk/client-s3';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/protocol-http';

import { contentDisposition } from './content-disposition.js';
import { renditionKey, sourceKey } from './object-keys.js';
import { S3ObjectStore, encodeObjectTags } from './s3-object-store.adapter.js';
import { S3ObjectStoreFactory } from './s3-object-store.factory.js';
import { encodeS3Key } from './s3-location.js';
import type { StorageTargetRef } from './storage-target.js';
import type { TemporaryCredentials } from './temporary-credentials.js';

const NOW = new Date('2030-01-01T12:00:00.250Z');
const clock = { now: () => new Date(NOW) };
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const target: StorageTargetRef = {
  id: 'target-1',
  tenantId: 'tenant-1',
  mode: 'isolated',
  provider: 's3_compatible',
  endpoint: 'http://127.0.0.1:7480',
  region: 'us-east-1',
  bucket: 'studio-media',
  prefix: 'tenants/a',
  roleArn: 'arn:aws:iam:::role/studio',
  externalId: 'ext-1',
};

const credentials = (expiresInSeconds = 3600, accessKeyId = 'ASIATESTKEY'): TemporaryCredentials => ({
  accessKeyId,
  secretAccessKey: 'secret/key+value',
  sessionToken: 'token/with+chars==',
  expiresAt: at(expiresInSeconds),
});

const store = (expiresInSeconds = 3600, over: Partial<StorageTargetRef> = {}, forcePathStyle = true) =>
  new S3ObjectStore({ ...target, ...over }, credentials(expiresInSeconds), { clock, forcePathStyle });

const KEY = sourceKey('tenants/a', 'm1', "Café (final) it's.mp4");

describe('S3ObjectStore presigned GET', () => {
  it('signs a path-style URL with the session token, valid 15 min from the second it was signed', async () => {
    const link = await store().presignGet({ key: KEY, filename: 'Café.mp4' });
    const url = new URL(link.url);
    expect(`${url.origin}${url.pathname}`).toBe(`http://127.0.0.1:7480/studio-media/${encodeS3Key(KEY)}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'response-content-disposition': contentDisposition('Café.mp4'),
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
      'X-Amz-Security-Token': 'token/with+chars==',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'ASIATESTKEY/20300101/us-east-1/s3/aws4_request',
      'X-Amz-Date': '20300101T120000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(link.expiresAt).toEqual(new Date('2030-01-01T12:15:00.000Z'));
  });

  it('produces the signature of the SDK presigner for the same request', async () => {
    const disposition = contentDisposition("it's.mp4", 'inline');
    const link = await store().presignGet({ key: KEY, filename: "it's.mp4", disposition: 'inline' });
    const { accessKeyId, secretAccessKey, sessionToken } = credentials();
    const sdk = new S3RequestPresigner({
      credentials: { accessKeyId, secretAccessKey, sessionToken },
      region: 'us-east-1',
      sha256: Sha256,
    });
    const signed = await sdk.presign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 7480,
        path: `/studio-media/${encodeS3Key(KEY)}`,
        query: { 'response-content-disposition': disposition },
        headers: {},
      }),
      { signingDate: NOW, expiresIn: 900 },
    );
    expect(new URL(link.url).searchParams.get('X-Amz-Signature')).toBe(signed.query?.['X-Amz-Signature']);
  });

  it('never outlives its credential', async () => {
    const link = await store(600).presignGet({ key: KEY, expiresInSeconds: 900 });
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe('540');
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(at(540).getTime());
    await expect(store(59).presignGet({ key: KEY })).rejects.toThrow(/refresh/);
  });

  it('signs virtual-hosted URLs for AWS', async () => {
    const link = await store(3600, { provider: 'aws', endpoint: undefined, region: 'eu-west-3' }, false).presignGet({ key: KEY });
    expect(link.url.startsWith(`https://studio-media.s3.eu-west-3.amazonaws.com/${encodeS3Key(KEY)}?`)).toBe(true);
    expect(new URL(link.url).searchParams.get('X-Amz-Credential')).toBe('ASIATESTKEY/20300101/eu-west-3/s3/aws4_request');
  });

  it('refuses keys outside the target prefix or unsafe ones', async () => {
    await expect(store().presignGet({ key: 'tenants/b/media/m1/source/x.mp4' })).rejects.toThrow(RangeError);
    await expect(store().presignGet({ key: 'tenants/a/../b/x' })).rejects.toThrow(RangeError);
    await expect(store().presignGet({ key: 'tenants/ab/x' })).rejects.toThrow(RangeError);
  });
});

describe('S3ObjectStore presigned uploads', () => {
  it('signs Content-Type and Content-Length into a PUT', async () => {
    const put = await store().presignPut({ key: KEY, contentType: 'video/mp4', contentLength: 1234 });
    expect(put).toMatchObject({ method: 'PUT', headers: { 'content-type': 'video/mp4' } });
    expect(new URL(put.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });

  it('signs a part with its upload id, number and optional Content-MD5', async () => {
    const key = renditionKey('tenants/a', 'm1', '720p.mp4');
    const part = await store().presignUploadPart({ key, uploadId: 'up/1+2', partNumber: 3, contentMd5: 'XrY7u+Ae7tCTyyK7j1rNww==' });
    const url = new URL(part.url);
    expect(url.searchParams.get('partNumber')).toBe('3');
    expect(url.searchParams.get('uploadId')).toBe('up/1+2');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-md5;host');
    expect(part.headers).toEqual({ 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==' });
    await expect(store().presignUploadPart({ key, uploadId: 'u', partNumber: 0 })).rejects.toThrow(RangeError);
    await expect(store().presignUploadPart({ key, uploadId: 'u', partNumber: 10_001 })).rejects.toThrow(RangeError);
  });

  it('refuses a POST policy whose key is not exact', async () => {
    const key = sourceKey('tenants/a', 'm1', 'x${filename}');
    expect(key.endsWith('${filename}')).toBe(true);
    await expect(store().presignPost({ key, contentType: 'video/mp4', maxBytes: 10 })).rejects.toThrow(/exact/);
  });
});

describe('S3ObjectStore object tags', () => {
  /** The store's S3 client, stopped before sending: returns the request it would have sent. */
  const captured = async (run: (s: S3ObjectStore) => Promise<unknown>) => {
    const s = store();
    let request: HttpRequest | undefined;
    (s as unknown as { s3(): S3Client }).s3().middlewareStack.add(
      (() => async (args: { request: unknown }) => {
        request = args.request as HttpRequest;
        throw new Error('stopped before sending');
      }) as never,
      { step: 'finalizeRequest', priority: 'low' },
    );
    await expect(run(s)).rejects.toThrow();
    s.destroy();
    return request!;
  };

  it('encodes tags as x-amz-tagging wants them: URL query form, each key and value percent-encoded', () => {
    expect(encodeObjectTags({ 'isola-object-kind': 'source' })).toBe('isola-object-kind=source');
    expect(encodeObjectTags({ a: 'b c', 'k=1': 'x+y/z@w:v', e: '' })).toBe('a=b%20c&k%3D1=x%2By%2Fz%40w%3Av&e=');
    expect(encodeObjectTags({ projet: 'séquence 1' })).toBe('projet=s%C3%A9quence%201');
    expect(encodeObjectTags({})).toBe('');
  });

  it('refuses tags S3 would refuse', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    for (const tags of [
      eleven,
      { '': 'v' },
      { 'aws:cost': 'v' },
      { 'a&b': 'v' },
      { k: 'v\n' },
      { ['k'.repeat(129)]: 'v' },
      { k: 'v'.repeat(257) },
    ]) {
      expect(() => encodeObjectTags(tags)).toThrow(RangeError);
    }
    expect(() => encodeObjectTags({ ['k'.repeat(128)]: 'v'.repeat(256) })).not.toThrow();
  });

  it('writes tags with a PUT as the x-amz-tagging header, and none without', async () => {
    const tagged = await captured((s) =>
      s.putObject({ key: KEY, body: 'x', contentType: 'text/plain', tags: { 'isola-object-kind': 'source' } }),
    );
    expect(tagged.headers['x-amz-tagging']).toBe('isola-object-kind=source');
    const plain = await captured((s) => s.putObject({ key: KEY, body: 'x', contentType: 'text/plain' }));
    expect(plain.headers['x-amz-tagging']).toBeUndefined();
  });

  it('replaces the tag set with PutObjectTagging', async () => {
    const request = await captured((s) => s.putObjectTagging({ key: KEY, tags: { 'isola-object-kind': 'source' } }));
    expect(request.method).toBe('PUT');
    expect(request.query).toMatchObject({ tagging: '' });
    expect(String(request.body)).toContain('<Tag><Key>isola-object-kind</Key><Value>source</Value></Tag>');
    await expect(store().putObjectTagging({ key: KEY, tags: { 'aws:x': 'y' } })).rejects.toThrow(RangeError);
    await expect(store().putObjectTagging({ key: 'tenants/b/x', tags: {} })).rejects.toThrow(RangeError);
  });
});

describe('S3ObjectStoreFactory', () => {
  it('keeps one store per target config and credential', () => {
    const factory = new S3ObjectStoreFactory({ clock });
    const a = factory.forCredentials(target, credentials());
    expect(factory.forCredentials({ ...target, id: 'same-config-other-row' }, credentials())).toBe(a);
    expect(factory.forCredentials({ ...target, prefix: 'tenants/b' }, credentials())).not.toBe(a);
    expect(factory.forCredentials(target, credentials(3600, 'ASIAOTHER'))).not.toBe(a);
    expect(factory.size).toBe(3);
    factory.destroy();
    expect(factory.size).toBe(0);
  });

  it('evicts stores of expired credentials first, then the least recently used', () => {
    const factory = new S3ObjectStoreFactory({ clock, maxStores: 2 });
    const expired = factory.forCredentials(target, credentials(-1, 'ASIAEXPIRED'));
    const a = factory.forCredentials(target, credentials(3600, 'ASIAA'));
    factory.forCredentials(target, credentials(3600, 'ASIAB'));
    expect(factory.size).toBe(2);
    expect(factory.forCredentials(target, credentials(3600, 'ASIAA'))).toBe(a);
    expect(factory.forCredentials(target, credentials(-1, 'ASIAEXPIRED'))).not.toBe(expired);
    // ASIAB was the least recently used: gone
    const b2 = factory.forCredentials(target, credentials(3600, 'ASIAB'));
    expect(factory.size).toBe(2);
    expect(b2).toBeInstanceOf(S3ObjectStore);
  });

  it('chooses the addressing style per target', async () => {
    const factory = new S3ObjectStoreFactory({ clock, forcePathStyle: () => false });
    const link = await factory.forCredentials(target, credentials()).presignGet({ key: KEY });
    expect(link.url.startsWith('http://studio-media.127.0.0.1:7480/')).toBe(true);
  });
});
