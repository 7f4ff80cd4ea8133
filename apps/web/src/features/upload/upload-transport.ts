import type {
  CompleteMultipartUploadResponse,
  CreateMultipartUploadResponse,
  ListPartsResponse,
  SignPartResponse,
  SignPartsResponse,
} from '@isola/contracts';
import { fetcher } from '@uppy/core/utils';
import { apiGet, apiRequest } from '../../lib/api';
import type { UploadRef, UploadTransport } from './multipart-upload';

const route = (ref: UploadRef, suffix = '', query: Record<string, string> = {}) =>
  `/s3/multipart/${encodeURIComponent(ref.uploadId)}${suffix}?${new URLSearchParams({ key: ref.key, ...query }).toString()}`;

/** An S3 error answer's code (`<Code>BadDigest</Code>`), when the bucket sent one. */
function s3ErrorCode(xhr: XMLHttpRequest): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(typeof xhr.responseText === 'string' ? xhr.responseText : '')?.[1];
}

/**
 * Isola's upload routes (same origin, the session cookie) and the part PUTs straight to the bucket (an
 * XMLHttpRequest for upload progress; retried on network errors, 5xx and 429, never on a refusal).
 */
export const isolaUploadTransport: UploadTransport = {
  create: (input, signal) => apiRequest<CreateMultipartUploadResponse>('/s3/multipart', { method: 'POST', body: input, signal }),
  signPart: (ref, partNumber, signal) => apiGet<SignPartResponse>(route(ref, `/${partNumber}`), { signal }),
  signParts: (ref, partNumbers, signal) =>
    apiGet<SignPartsResponse>(route(ref, '/batch', { partNumbers: partNumbers.join(',') }), { signal }),
  listParts: async (ref, signal) =>
    (await apiGet<ListPartsResponse>(route(ref), { signal })).map((p) => ({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size })),
  complete: (ref, parts, signal) =>
    apiRequest<CompleteMultipartUploadResponse>(route(ref, '/complete'), {
      method: 'POST',
      body: { parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      signal,
    }),
  abort: (ref) => apiRequest<void>(route(ref), { method: 'DELETE' }),
  async putPart(url, headers, body, signal, onProgress) {
    let xhr: XMLHttpRequest;
    try {
      xhr = await fetcher(url, {
        method: 'PUT',
        body,
        headers,
        signal,
        retries: 3,
        shouldRetry: (req) => req.status === 0 || req.status === 429 || req.status >= 500,
        onUploadProgress: (event) => onProgress(event.loaded),
      });
    } catch (error) {
      const failed = (error as { request?: unknown }).request;
      if (failed instanceof XMLHttpRequest && failed.status > 0) {
        const code = s3ErrorCode(failed);
        throw new Error(`The storage refused a part (HTTP ${failed.status}${code ? ` ${code}` : ''}).`, { cause: error });
      }
      throw error;
    }
    const etag = xhr.getResponseHeader('etag');
    if (!etag) throw new Error('The storage answered without the part’s ETag: its CORS rule must expose the ETag header.');
    return etag;
  },
};
