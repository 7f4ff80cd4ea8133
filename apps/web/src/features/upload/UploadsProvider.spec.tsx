import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { useEffect, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { aMe, aMedia } from '../../test/fixtures';
import { mockApi } from '../../test/mock-api';
import { renderApp } from '../../test/render';
import type { IsolaUppy } from './create-uploader';
import { UploadsProvider, useUploads } from './UploadsProvider';

let uploader: IsolaUppy | null = null;

function Probe({ onChanged }: { onChanged: () => void }) {
  const { getUploader, summary, onUploadsChanged } = useUploads();
  const [ready, setReady] = useState(false);
  useEffect(() => onUploadsChanged(onChanged), [onUploadsChanged, onChanged]);
  useEffect(() => {
    void getUploader().then((uppy) => {
      uploader = uppy;
      setReady(true);
    });
  }, [getUploader]);
  return <p>{ready ? `uploading ${summary.uploading} · ${summary.percent}%` : 'starting'}</p>;
}

describe('UploadsProvider', () => {
  it('loads the uploader on demand and tells subscribers when files reach the bucket', async () => {
    const onChanged = vi.fn();
    const { unmount } = render(
      <MemoryRouter>
        <UploadsProvider>
          <Probe onChanged={onChanged} />
        </UploadsProvider>
      </MemoryRouter>,
    );
    expect(await screen.findByText('uploading 0 · 0%')).toBeTruthy();
    const uppy = uploader!;
    const id = uppy.addFile({ name: 'a.mp4', type: 'video/mp4', data: new Blob([new Uint8Array(10)]) });
    act(() => {
      uppy.setFileState(id, { progress: { ...uppy.getFile(id).progress, uploadStarted: Date.now(), bytesUploaded: 5 } });
      uppy.emit('upload-progress', uppy.getFile(id), { uploadStarted: Date.now(), bytesUploaded: 5, bytesTotal: 10 });
    });
    expect(screen.getByText(/uploading 1 ·/)).toBeTruthy();
    act(() => uppy.emit('complete', { successful: [], failed: [] }));
    expect(onChanged).toHaveBeenCalled();

    const destroy = vi.spyOn(uppy, 'destroy');
    unmount();
    await waitFor(() => expect(destroy).toHaveBeenCalled());
  });
});

describe('upload route', () => {
  it('opens the upload panel over the library with Uppy’s dashboard, and closes it', { timeout: 20_000 }, async () => {
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/media', { body: { items: [aMedia({ filename: 'hero.mov' })], nextCursor: null } });
    const app = renderApp('/upload');
    // The panel is a lazy chunk (Uppy + its dashboard): on a cold transform cache, loading it takes seconds.
    const lazyChunk = { timeout: 10_000 };
    expect(await screen.findByRole('heading', { name: 'Upload media' }, lazyChunk)).toBeTruthy();
    expect(await screen.findByText('hero.mov')).toBeTruthy();
    await waitFor(() => expect(document.querySelector('.uppy-Dashboard')).toBeTruthy(), lazyChunk);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(app.location()).toBe('/'));
    expect(screen.queryByRole('heading', { name: 'Upload media' })).toBeNull();
  });
});
