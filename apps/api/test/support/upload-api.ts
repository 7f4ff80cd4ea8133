import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { WEB_ORIGIN } from './test-app.js';

/** The upload routes as a client calls them (what Uppy does, step by step), for tests that need control. */
export class UploadApi {
  constructor(
    private readonly app: INestApplication,
    private readonly cookie: string,
  ) {}

  private http() {
    return request(this.app.getHttpServer());
  }

  create(body: unknown) {
    return this.http()
      .post('/api/s3/multipart')
      .set('origin', WEB_ORIGIN)
      .set('cookie', this.cookie)
      .send(body as object);
  }

  /** Creates an upload of `size` declared bytes (asserting 200), returning `{uploadId, key, mediaId}`. */
  async start(size: number, filename = 'clip.mp4', type = 'video/mp4'): Promise<{ uploadId: string; key: string; mediaId: string }> {
    const res = await this.create({ filename, type, metadata: { size } });
    if (res.status !== 200) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { uploadId: string; key: string; mediaId: string };
  }

  sign(uploadId: string, partNumber: string | number, query: Record<string, string>) {
    return this.http()
      .get(`/api/s3/multipart/${encodeURIComponent(uploadId)}/${encodeURIComponent(String(partNumber))}`)
      .query(query)
      .set('cookie', this.cookie);
  }

  list(uploadId: string, query: Record<string, string>) {
    return this.http()
      .get(`/api/s3/multipart/${encodeURIComponent(uploadId)}`)
      .query(query)
      .set('cookie', this.cookie);
  }

  complete(uploadId: string, query: Record<string, string>, body: unknown) {
    return this.http()
      .post(`/api/s3/multipart/${encodeURIComponent(uploadId)}/complete`)
      .query(query)
      .set('origin', WEB_ORIGIN)
      .set('cookie', this.cookie)
      .send(body as object);
  }

  abort(uploadId: string, query: Record<string, string>) {
    return this.http()
      .delete(`/api/s3/multipart/${encodeURIComponent(uploadId)}`)
      .query(query)
      .set('origin', WEB_ORIGIN)
      .set('cookie', this.cookie);
  }

  /** Signs part `partNumber` and PUTs `bytes` to the bucket; returns the part's ETag (bare). */
  async putPart(upload: { uploadId: string; key: string }, partNumber: number, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
    const signed = await this.sign(upload.uploadId, partNumber, { key: upload.key });
    if (signed.status !== 200) throw new Error(`sign answered ${signed.status}: ${JSON.stringify(signed.body)}`);
    const put = await fetch((signed.body as { url: string }).url, { method: 'PUT', body: bytes });
    if (!put.ok) throw new Error(`part PUT answered ${put.status}: ${await put.text()}`);
    return (put.headers.get('etag') ?? '').replace(/"/g, '');
  }
}

export function randomPart(bytes: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(bytes));
}

export function md5Base64(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}
