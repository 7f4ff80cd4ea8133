import type { StorageTargetRef, TemporaryCredentials } from '@isola/tenant-storage';

/**
 * The bucket-level reads of the connection test, in domain terms (the object probes go through
 * `ObjectStore`). Adapters throw `StorageError` (see `classifyAwsError`) — except for "nothing
 * configured", which is an answer here, not an error.
 */
export abstract class BucketInspector {
  /** Bucket reads signed with one (verify) credential; `close()` when done. */
  abstract open(target: StorageTargetRef, credentials: TemporaryCredentials): BucketReads;

  /** An unauthenticated CORS preflight (OPTIONS) to the bucket's URL, as a browser would send it. */
  abstract corsPreflight(target: StorageTargetRef, request: CorsPreflightRequest): Promise<CorsPreflightAnswer>;
}

export interface BucketReads {
  /**
   * GetBucketLocation: the region as the service names it — `''` for us-east-1 and `EU` for
   * eu-west-1 on AWS (legacy names), the zonegroup's API name on Ceph RGW (`default` out of the box).
   */
  location(): Promise<string>;

  /** GetBucketEncryption: the default encryption algorithms configured (`[]`: none). */
  encryption(): Promise<string[]>;

  /** GetBucketPolicy: the policy document as stored, or null when the bucket has none. */
  policy(): Promise<string | null>;

  close(): void;
}

export interface CorsPreflightRequest {
  origin: string;
  /** `Access-Control-Request-Method`. */
  method: 'PUT' | 'GET' | 'HEAD';
}

export interface CorsPreflightAnswer {
  /** The URL asked (the bucket's, no credentials in it). */
  url: string;
  status: number;
  allowOrigin: string | null;
  allowMethods: string[];
  exposeHeaders: string[];
}
