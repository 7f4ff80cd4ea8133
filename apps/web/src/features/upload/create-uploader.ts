import AwsS3, { type AwsBody } from '@uppy/aws-s3';
import Uppy from '@uppy/core';

/**
 * Metadata the API's multipart create reads (DECISIONS.md, Uploads): `size` is required (the declared
 * bytes, checked against the studio's limits and again at completion); `sha256` is optional (the worker
 * computes it when absent).
 */
export type UploadMeta = { size: number; sha256?: string };
export type IsolaUppy = Uppy<UploadMeta, AwsBody>;

export interface UploadSummary {
  /** Files started and neither finished nor failed. */
  uploading: number;
  /** Uppy's total progress over the current batch, 0–100. */
  percent: number;
}

export interface UploaderCallbacks {
  onSummary?: (summary: UploadSummary) => void;
  /** A file reached the bucket (the library has a new or changed item). */
  onUploaded?: () => void;
}

export function summarizeUploads(uppy: IsolaUppy): UploadSummary {
  const uploading = uppy.getFiles().filter((file) => file.progress.uploadStarted && !file.progress.uploadComplete && !file.error).length;
  return { uploading, percent: uppy.getState().totalProgress };
}

/**
 * An Uppy that sends bytes from the browser straight to the studio's bucket: Isola's API only answers
 * Uppy's S3 routes (/api/s3/…: create, sign each part, complete, abort) with presigned URLs.
 */
export function createUploader(callbacks: UploaderCallbacks = {}): IsolaUppy {
  const uppy: IsolaUppy = new Uppy<UploadMeta, AwsBody>({
    id: 'isola-upload',
    autoProceed: false,
    // Uppy sends an empty file as a single PUT even in multipart mode, and the API accepts multipart only.
    restrictions: { minFileSize: 1 },
  });
  uppy.use(AwsS3<UploadMeta, AwsBody>, {
    // v6 names the option `companionEndpoint`; it calls `${companionEndpoint}/s3/…`, i.e. /api/s3/….
    companionEndpoint: '/api',
    shouldUseMultipart: true,
    allowedMetaFields: ['size', 'sha256'],
  });
  uppy.on('file-added', (file) => {
    if (typeof file.size === 'number') uppy.setFileMeta(file.id, { size: file.size });
  });

  const report = () => callbacks.onSummary?.(summarizeUploads(uppy));
  for (const event of ['upload', 'upload-progress', 'upload-error', 'file-removed', 'cancel-all', 'pause-all', 'resume-all'] as const) {
    uppy.on(event, report);
  }
  uppy.on('upload-success', () => {
    report();
    callbacks.onUploaded?.();
  });
  uppy.on('complete', () => {
    report();
    callbacks.onUploaded?.();
  });
  return uppy;
}
