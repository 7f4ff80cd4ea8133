import { S3_MAX_OBJECT_BYTES } from '@isola/contracts';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';

/**
 * The upload feature's tunables, from the API's validated environment (`MAX_UPLOAD_BYTES`,
 * `TRANSCODE_GRANT_SECONDS` in config/env.schema.ts); tests pass their own.
 */
export interface UploadsOptions {
  /** Largest upload when the tenant sets no limit of its own (Tenant.maxUploadBytes). Never above S3's 5 TiB. */
  defaultMaxUploadBytes: number;
  /** How long the worker may transcode a freshly uploaded media (bounds its `transcode` credential; ≤ 1 h). */
  transcodeGrantSeconds: number;
}

export const DEFAULT_UPLOADS_OPTIONS: Readonly<UploadsOptions> = Object.freeze({
  defaultMaxUploadBytes: S3_MAX_OBJECT_BYTES,
  transcodeGrantSeconds: 30 * 60,
});

/** DI token: `@Inject(UPLOADS_OPTIONS) options: UploadsOptions`. */
export const UPLOADS_OPTIONS = Symbol('UPLOADS_OPTIONS');

/** The provider both the uploads and the media modules use (re-process issues grants too). */
export const uploadsOptionsProvider = {
  provide: UPLOADS_OPTIONS,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig): UploadsOptions => config.uploads,
};
