import type { CheckedSetupKitInput } from './setup-kit-input.js';

/** S3's CORS configuration in the API's JSON form (PutBucketCors `CORSConfiguration`). */
export interface BucketCorsConfiguration {
  CORSRules: Array<{
    AllowedHeaders: string[];
    AllowedMethods: Array<'GET' | 'PUT' | 'HEAD'>;
    AllowedOrigins: string[];
    ExposeHeaders: string[];
    MaxAgeSeconds: number;
  }>;
}

export const CORS_MAX_AGE_SECONDS = 3000;

/**
 * Browsers upload parts (PUT) and read media (GET/HEAD) directly with presigned URLs, from Isola's web
 * origins only. Uppy needs each part's `ETag` to complete a multipart upload, so it is exposed.
 * Headers are `*`: a presigned request's signed headers vary (content type, checksums).
 */
export function buildBucketCors(input: Pick<CheckedSetupKitInput, 'webOrigins'>): BucketCorsConfiguration {
  return {
    CORSRules: [
      {
        AllowedHeaders: ['*'],
        AllowedMethods: ['GET', 'PUT', 'HEAD'],
        AllowedOrigins: [...input.webOrigins],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: CORS_MAX_AGE_SECONDS,
      },
    ],
  };
}
