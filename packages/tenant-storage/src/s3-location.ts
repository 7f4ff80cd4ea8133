import { partitionOfRegion, type StorageTargetRef } from './storage-target.js';

/**
 * Where a target's objects are addressed, for presigned URLs and the SDK client.
 *
 * - path-style (`https://host/<bucket>/<key>`): S3-compatible services (Ceph RGW), whose endpoints
 *   are a bare host without per-bucket DNS names;
 * - virtual-hosted (`https://<bucket>.s3.<region>.amazonaws.com/<key>`): AWS, where path-style is
 *   deprecated. Bucket names never contain dots (validation refuses them), so the TLS wildcard fits.
 */
export interface S3Location {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  /** Only when the endpoint names a non-default port. */
  readonly port?: number;
  /** What the `host` header carries: hostname[:port]. */
  readonly host: string;
  /** `/<bucket>` for path-style, `''` for virtual-hosted. */
  readonly basePath: string;
  readonly forcePathStyle: boolean;
  /** The endpoint to give the SDK client; undefined means the SDK's own AWS endpoint. */
  readonly clientEndpoint?: string;
}

export type S3LocationTarget = Pick<StorageTargetRef, 'provider' | 'endpoint' | 'region' | 'bucket'>;

/** Path-style for S3-compatible services, virtual-hosted for AWS. */
export function defaultForcePathStyle(target: Pick<StorageTargetRef, 'provider'>): boolean {
  return target.provider === 's3_compatible';
}

/** AWS's regional S3 endpoint (`https://s3.<region>.amazonaws.com`, `.com.cn` in China). */
export function awsS3Endpoint(region: string): string {
  const domain = partitionOfRegion(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://s3.${region}.${domain}`;
}

export function s3Location(target: S3LocationTarget, forcePathStyle: boolean = defaultForcePathStyle(target)): S3Location {
  if (!target.endpoint && target.provider === 's3_compatible') {
    throw new RangeError('An S3-compatible target needs an endpoint');
  }
  const url = new URL(target.endpoint || awsS3Endpoint(target.region));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError(`Unsupported endpoint protocol ${url.protocol}`);
  const hostname = forcePathStyle ? url.hostname : `${target.bucket}.${url.hostname}`;
  const port = url.port === '' ? undefined : Number(url.port);
  const location: S3Location = {
    protocol: url.protocol,
    hostname,
    host: port === undefined ? hostname : `${hostname}:${port}`,
    basePath: forcePathStyle ? `/${target.bucket}` : '',
    forcePathStyle,
    ...(port === undefined ? {} : { port }),
    ...(target.endpoint ? { clientEndpoint: url.origin } : {}),
  };
  return location;
}

/** The request path of an object: `/<bucket>/<key>` or `/<key>`, each key segment URI-encoded. */
export function objectPath(location: Pick<S3Location, 'basePath'>, key: string): string {
  return `${location.basePath}/${encodeS3Key(key)}`;
}

/** S3's UriEncode of a key: every byte but A–Z a–z 0–9 `-` `_` `.` `~` percent-encoded, `/` kept. */
export function encodeS3Key(key: string): string {
  return key.split('/').map(uriEscape).join('/');
}

const UNRESERVED_ONLY = /^[A-Za-z0-9._~-]*$/;
const SUB_DELIM = /[!'()*]/;
const SUB_DELIMS = /[!'()*]/g;

/** RFC 3986 escaping as SigV4 wants it (encodeURIComponent also leaves `!'()*` alone). */
export function uriEscape(value: string): string {
  // fast paths: most query values (dates, hex signatures, numbers) need no escaping at all
  if (UNRESERVED_ONLY.test(value)) return value;
  const encoded = encodeURIComponent(value);
  return SUB_DELIM.test(encoded) ? encoded.replace(SUB_DELIMS, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`) : encoded;
}
