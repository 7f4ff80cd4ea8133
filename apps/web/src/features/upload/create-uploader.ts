import Uppy from '@uppy/core';
import GoldenRetriever, { type GoldenRetrieverOptions } from '@uppy/golden-retriever';
import { markInterruptedUploads } from './interrupted-uploads';
import { IsolaS3, type UploadBody } from './isola-s3-plugin';
import type { UploadTransport } from './multipart-upload';
import { isolaUploadTransport } from './upload-transport';

/**
 * Metadata the API's multipart create reads (DECISIONS.md, Uploads): `size` is required (the declared
 * bytes, checked against the studio's limits and again at completion); `sha256` is optional (the worker
 * computes it when absent).
 */
export type UploadMeta = { size: number; sha256?: string };
export type IsolaUppy = Uppy<UploadMeta, UploadBody>;

export interface UploadSummary {
  /** Files started and neither finished nor failed. */
  uploading: number;
  /** Files a page reload interrupted: the user re-selects them to resume. */
  interrupted: number;
  /** Uppy's total progress over the current batch, 0–100. */
  percent: number;
}

export interface UploaderCallbacks {
  onSummary?: (summary: UploadSummary) => void;
  /** A file reached the bucket (the library has a new or changed item). */
  onUploaded?: () => void;
}

export interface UploaderOptions extends UploaderCallbacks {
  /**
   * Whose uploads these are: names the browser storage they are kept in across page reloads, so one user
   * never restores another's files on a shared machine.
   */
  userId?: string;
  /** Isola's upload routes and the part PUTs (tests pass a fake). */
  transport?: UploadTransport;
  /** Keep the files and their multipart state across page reloads (Golden Retriever, IndexedDB). Default: when the browser has IndexedDB. */
  persist?: boolean;
}

/** Golden Retriever's blob store (an undocumented pass-through of its `indexedDB` option): no file is ever stored. */
const NO_FILE_BYTES = { maxFileSize: 0, maxTotalSize: 0 } as unknown as GoldenRetrieverOptions['indexedDB'];

function isUnfinished(file: ReturnType<IsolaUppy['getFiles']>[number]): boolean {
  return Boolean(file.progress.uploadStarted) && !file.progress.uploadComplete && !file.error;
}

export function summarizeUploads(uppy: IsolaUppy): UploadSummary {
  const unfinished = uppy.getFiles().filter(isUnfinished);
  const interrupted = unfinished.filter((file) => file.isGhost).length;
  return { uploading: unfinished.length - interrupted, interrupted, percent: uppy.getState().totalProgress };
}

/**
 * An Uppy that sends bytes from the browser straight to the studio's bucket: Isola's API only answers
 * Uppy's S3 routes (/api/s3/…: create, sign each part, complete, abort) with presigned URLs.
 */
export function createUploader(options: UploaderOptions = {}): IsolaUppy {
  const { userId = 'anonymous', persist = typeof indexedDB !== 'undefined', transport = isolaUploadTransport, ...callbacks } = options;
  const uppy: IsolaUppy = new Uppy<UploadMeta, UploadBody>({
    id: `isola-upload-${userId}`,
    autoProceed: false,
    // Uppy sends an empty file as a single PUT even in multipart mode, and the API accepts multipart only.
    restrictions: { minFileSize: 1 },
  });
  uppy.use(IsolaS3<UploadMeta, UploadBody>, { transport, allowedMetaFields: ['size', 'sha256'] });
  uppy.on('file-added', (file) => {
    if (typeof file.size === 'number') uppy.setFileMeta(file.id, { size: file.size });
  });
  if (persist) {
    // What survives a reload: each file's metadata and multipart upload (id and key), never its bytes — a
    // studio's unreleased media must not be copied into browser storage. After a reload the user re-selects
    // the file; the uploader then lists the parts already in the bucket and sends only the rest.
    uppy.use(GoldenRetriever<UploadMeta, UploadBody>, { serviceWorker: false, indexedDB: NO_FILE_BYTES });
    // Unmounting the app removes Golden Retriever before destroy() cancels everything: keep the note then.
    const persisting = () => uppy.getPlugin('GoldenRetriever') !== undefined;
    const settle = () => {
      if (persisting()) markInterruptedUploads(userId, uppy.getFiles().some(isUnfinished));
    };
    uppy.on('upload', settle);
    for (const event of ['complete', 'file-removed', 'cancel-all', 'upload-error'] as const) uppy.on(event, settle);
  }

  const report = () => callbacks.onSummary?.(summarizeUploads(uppy));
  for (const event of [
    'upload',
    'upload-progress',
    'upload-error',
    'file-removed',
    'cancel-all',
    'pause-all',
    'resume-all',
    'restored',
  ] as const) {
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
