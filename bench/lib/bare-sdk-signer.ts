// The SDK's SigV4 signer on its own, as the benchmarks' reference for what presigning a GET costs
// under DECISIONS.md's rule (one `SignatureV4` per credential, the SDK's own signing, no Isola code
// around it): bench/link-minting.ts compares the broker with it, bench/links-api.ts answers a
// diagnostic endpoint's links with it.
import { createRequire } from 'node:module';

import { createNodeSha256, encodeS3Key } from '../../packages/tenant-storage/dist/index.js';

/** What `SignatureV4.presign` returns, as far as these scripts read it. */
export interface SdkSignedRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string | string[] | null>;
}

// The SDK resolves from the package that depends on it (pnpm keeps it out of the root); typed only as
// far as this module uses it.
const fromTenantStorage = createRequire(new URL('../../packages/tenant-storage/package.json', import.meta.url));
const { SignatureV4 } = fromTenantStorage('@smithy/signature-v4') as {
  SignatureV4: new (init: object) => { presign(request: unknown, options: { expiresIn: number }): Promise<SdkSignedRequest> };
};
const { HttpRequest } = fromTenantStorage('@smithy/protocol-http') as { HttpRequest: new (init: object) => unknown };
const { buildQueryString } = createRequire(fromTenantStorage.resolve('@smithy/signature-v4'))('@smithy/core/protocols') as {
  buildQueryString(query: SdkSignedRequest['query']): string;
};

export interface BareSignerOptions {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region: string;
  /** The S3 endpoint (path-style: `<endpoint>/<bucket>/<key>`). */
  endpoint: string;
  bucket: string;
}

export interface BareSdkSigner {
  /** A presigned GET of `key`, `disposition` as `response-content-disposition`. */
  presignGet(key: string, disposition: string, expiresIn: number): Promise<SdkSignedRequest>;
  /** The URL of a signed request, its query formatted by the SDK's own builder (as `getSignedUrl` does). */
  url(signed: SdkSignedRequest): string;
}

/** One `SignatureV4` for one credential, reused for every URL; the same signing options as Isola's store. */
export function bareSdkSigner(options: BareSignerOptions): BareSdkSigner {
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 's3',
    sha256: createNodeSha256(),
    uriEscapePath: false,
    applyChecksum: false,
  });
  const endpoint = new URL(options.endpoint);
  return {
    presignGet: (key, disposition, expiresIn) =>
      signer.presign(
        new HttpRequest({
          method: 'GET',
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port: Number(endpoint.port),
          path: `/${options.bucket}/${encodeS3Key(key)}`,
          query: { 'response-content-disposition': disposition },
          headers: { host: endpoint.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
        }),
        { expiresIn },
      ),
    url: (signed) =>
      `${signed.protocol}//${signed.hostname}${signed.port === undefined ? '' : `:${signed.port}`}${signed.path}?${buildQueryString(signed.query)}`,
  };
}
