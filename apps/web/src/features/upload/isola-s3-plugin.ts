import { BasePlugin, EventManager, type DefinePluginOpts, type PluginOpts, type Uppy } from '@uppy/core';
import { filterFilesToEmitUploadStarted, filterFilesToUpload, type Body, type Meta, type UppyFile } from '@uppy/core/utils';
import { Limiter, MultipartUpload, type UploadRef, type UploadResult, type UploadTransport } from './multipart-upload';

declare module '@uppy/core/utils' {
  // An augmentation repeats the interface's type parameters, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface LocalUppyFile<M extends Meta, B extends Body> {
    /** The file's multipart upload at Isola (kept by Golden Retriever, so a reload resumes it). */
    isolaUpload?: UploadRef | undefined;
  }
}

/** What a finished upload reports (Uppy's `response.body`). */
export interface UploadBody extends Body, UploadResult {}

export interface IsolaS3Options extends PluginOpts {
  transport: UploadTransport;
  /** Part PUTs in flight at once, over all files. Default 6 (the browser's connections per host). */
  partConcurrency?: number;
  /** Uppy meta fields sent to the API's create. */
  allowedMetaFields: string[];
}

type Opts = DefinePluginOpts<IsolaS3Options, 'partConcurrency'>;

/**
 * Uppy uploader for Isola: each file goes to the bucket as a multipart upload whose parts are sent in
 * parallel, each with its Content-MD5 (the bucket refuses altered bytes); the API only creates, signs,
 * lists and completes. Replaces @uppy/aws-s3, whose v6 sends a file's parts one after the other and has no
 * way to add a header computed from a part's bytes. Pause/resume, cancel, retry and Golden Retriever's restore work as with it.
 */
export class IsolaS3<M extends Meta, B extends UploadBody> extends BasePlugin<Opts, M, B> {
  private readonly limiter: Limiter;
  private readonly uploads = new Map<string, MultipartUpload>();

  constructor(uppy: Uppy<M, B>, opts: IsolaS3Options) {
    super(uppy, { partConcurrency: 6, ...opts });
    this.id = this.opts.id ?? 'IsolaS3';
    this.type = 'uploader';
    this.limiter = new Limiter(this.opts.partConcurrency);
  }

  override install(): void {
    this.setResumable(true);
    this.uppy.addUploader(this.upload);
  }

  override uninstall(): void {
    this.setResumable(false);
    this.uppy.removeUploader(this.upload);
    for (const upload of this.uploads.values()) upload.pause();
    this.uploads.clear();
  }

  private setResumable(resumableUploads: boolean): void {
    this.uppy.setState({ capabilities: { ...this.uppy.getState().capabilities, resumableUploads } });
  }

  private readonly upload = async (fileIDs: string[]): Promise<void> => {
    const files = filterFilesToUpload(this.uppy.getFilesByIds(fileIDs));
    this.uppy.emit('upload-start', filterFilesToEmitUploadStarted(files));
    await Promise.allSettled(files.map((file) => this.uploadFile(file)));
  };

  private uploadFile(file: UppyFile<M, B>): Promise<void> {
    return new Promise((resolve) => {
      if (!file.data || file.isRemote) {
        this.uppy.emit('upload-error', file, new Error('The file’s contents are not available: select it again.'));
        resolve();
        return;
      }
      const events = new EventManager(this.uppy);
      const current = () => this.uppy.getFile(file.id) ?? file;
      const meta = Object.fromEntries(this.opts.allowedMetaFields.map((field) => [field, (file.meta as Record<string, unknown>)[field]]));
      const upload = new MultipartUpload({
        data: file.data,
        filename: file.name ?? 'file',
        type: file.type || 'application/octet-stream',
        metadata: meta,
        transport: this.opts.transport,
        limiter: this.limiter,
        resume: file.isolaUpload,
        onCreated: (ref) => this.uppy.setFileState(file.id, { isolaUpload: ref }),
        onProgress: (bytesUploaded, bytesTotal) =>
          this.uppy.emit('upload-progress', current(), {
            uploadStarted: current().progress.uploadStarted ?? Date.now(),
            bytesUploaded,
            bytesTotal,
          }),
      });
      this.uploads.set(file.id, upload);
      const finish = () => {
        events.remove();
        this.uploads.delete(file.id);
        resolve();
      };
      const run = () =>
        upload.start().then(
          (outcome) => {
            if (outcome.status === 'stopped') return;
            this.uppy.setFileState(file.id, { isolaUpload: undefined });
            const { result } = outcome;
            this.uppy.emit('upload-success', current(), { status: 200, body: result as B, uploadURL: result.location });
            finish();
          },
          (error: unknown) => {
            this.uppy.emit('upload-error', current(), error instanceof Error ? error : new Error(String(error)));
            finish();
          },
        );
      const cancel = () => {
        upload.abort();
        finish();
      };
      events.onFileRemove(file.id, cancel);
      events.onCancelAll(file.id, cancel);
      events.onFilePause(file.id, (paused) => (paused ? upload.pause() : void run()));
      events.onPauseAll(file.id, () => upload.pause());
      events.onResumeAll(file.id, () => void run());
      void run();
    });
  }
}
