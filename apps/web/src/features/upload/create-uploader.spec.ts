import { describe, expect, it, vi } from 'vitest';
import { mockApi } from '../../test/mock-api';
import { createUploader } from './create-uploader';

function addFile(uppy: ReturnType<typeof createUploader>, name: string, bytes: number) {
  return uppy.addFile({ name, type: 'video/mp4', data: new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }) });
}

describe('createUploader', () => {
  it('uploads with Isola’s multipart uploader, sending the size and checksum metadata', () => {
    const uppy = createUploader();
    const opts = uppy.getPlugin('IsolaS3')?.opts as Record<string, unknown>;
    expect(opts['allowedMetaFields']).toEqual(['size', 'sha256']);
    expect(uppy.getState().capabilities.resumableUploads).toBe(true);
    uppy.destroy();
  });

  it('declares each file’s size in its metadata', () => {
    const uppy = createUploader();
    const id = addFile(uppy, 'clip.mp4', 1234);
    expect(uppy.getFile(id).meta.size).toBe(1234);
    uppy.destroy();
  });

  it('refuses empty files (they could not go multipart)', () => {
    const uppy = createUploader();
    expect(() => addFile(uppy, 'empty.mp4', 0)).toThrow();
    expect(uppy.getFiles()).toHaveLength(0);
    uppy.destroy();
  });

  it('creates the multipart upload with the file name, type and declared size', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // Uppy logs the failed upload
    const api = mockApi().on('POST', '/api/s3/multipart', { status: 403, body: { code: 'FORBIDDEN', message: 'No.' } });
    const onSummary = vi.fn();
    const uppy = createUploader({ onSummary });
    addFile(uppy, 'clip.mp4', 2048);
    await uppy.upload();
    const create = api.callsTo('POST', '/api/s3/multipart')[0];
    expect(create?.body).toEqual({ filename: 'clip.mp4', type: 'video/mp4', metadata: { size: 2048 } });
    expect(uppy.getFiles()[0]?.error).toBeTruthy();
    expect(onSummary).toHaveBeenLastCalledWith({ uploading: 0, interrupted: 0, percent: expect.any(Number) });
    uppy.destroy();
  });
});
