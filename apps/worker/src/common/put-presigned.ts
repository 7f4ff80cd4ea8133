import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

export interface PresignedPutAnswer {
  status: number;
  /** The ETag header, as sent (quoted). */
  etag: string | undefined;
  /** The answer's body (an S3 error document, or empty). */
  text: string;
}

/**
 * PUTs `contentLength` bytes from `body` to a presigned URL with `node:http(s)` and streams them as
 * they come: unlike `fetch`, which copies a buffer body whole before sending it, nothing here holds
 * more than a stream chunk. Rejects on network errors (the error's `code`, such as ECONNREFUSED, is
 * kept) and on abort; any HTTP answer resolves.
 */
export function putPresigned(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: Readable,
  contentLength: number,
  signal?: AbortSignal,
): Promise<PresignedPutAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: 'PUT', headers: { ...headers, 'content-length': String(contentLength) }, ...(signal ? { signal } : {}) },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const etag = response.headers.etag;
          resolve({ status: response.statusCode ?? 0, etag, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    request.on('error', (error) => {
      body.destroy();
      reject(error);
    });
    body.on('error', (error) => request.destroy(error));
    body.pipe(request);
  });
}

/** An empty body, for a zero-byte part. */
export function emptyBody(): Readable {
  return Readable.from([]);
}
