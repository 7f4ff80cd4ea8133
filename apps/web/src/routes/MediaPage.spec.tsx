import type { MediaDto, MediaLinksResponse, MeResponse } from '@isola/contracts';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { aMe, aMedia, aMember, someLinks } from '../test/fixtures';
import { mockApi } from '../test/mock-api';
import { renderApp } from '../test/render';

function openMedia(media: MediaDto, links: MediaLinksResponse | null, me: MeResponse = aMe()) {
  const api = mockApi()
    .on('GET', '/api/auth/me', { body: me })
    .on('GET', `/api/media/${media.id}`, { body: media })
    .on('GET', '/api/media', { body: { items: [], nextCursor: null } });
  if (links) api.on('GET', `/api/media/${media.id}/links`, { body: links });
  const app = renderApp(`/media/${media.id}`);
  return { api, app };
}

const url = (media: MediaDto, name: string, tag = 'v1') => `https://bucket.test/${media.id}/${name}?sig=${tag}`;

describe('media page', () => {
  it('plays a video’s proxy with its poster and offers the original', async () => {
    const media = aMedia({ filename: 'hero.mov' });
    openMedia(media, someLinks(media.id, ['proxy', 'poster', 'thumbnail']));
    expect(await screen.findByRole('heading', { name: 'hero.mov' })).toBeTruthy();
    const video = await waitFor(() => {
      const el = document.querySelector('video');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(video.getAttribute('src')).toBe(url(media, 'proxy'));
    expect(video.getAttribute('poster')).toBe(url(media, 'poster'));
    expect(video.getAttribute('aria-label')).toBe('hero.mov');
    expect(screen.getByRole('link', { name: 'Download original' }).getAttribute('href')).toBe(url(media, 'source'));
    expect(screen.getByText('1:23')).toBeTruthy();
    expect(screen.getByText('1920 × 1080')).toBeTruthy();
  });

  it('shows an image (its proxy when there is one, else the original)', async () => {
    const media = aMedia({ filename: 'still.tif', kind: 'image', contentType: 'image/tiff', durationMs: null });
    openMedia(media, someLinks(media.id, ['thumbnail']));
    const img = await screen.findByRole('img', { name: 'still.tif' });
    expect(img.getAttribute('src')).toBe(url(media, 'source'));
  });

  it('plays audio from its audio proxy', async () => {
    const media = aMedia({ filename: 'mix.wav', kind: 'audio', contentType: 'audio/wav', width: null, height: null });
    openMedia(media, someLinks(media.id, ['audio_proxy', 'waveform']));
    const audio = await waitFor(() => {
      const el = document.querySelector('audio');
      expect(el).toBeTruthy();
      return el!;
    });
    expect(audio.getAttribute('src')).toBe(url(media, 'audio_proxy'));
    expect(audio.hasAttribute('controls')).toBe(true);
  });

  it('has no preview for documents but a download link', async () => {
    const media = aMedia({ filename: 'script.pdf', kind: 'document', contentType: 'application/pdf', durationMs: null });
    openMedia(media, someLinks(media.id, []));
    expect(await screen.findByText('No preview for this file. Download the original to open it.')).toBeTruthy();
    expect((await screen.findByRole('link', { name: 'Download original' })).getAttribute('href')).toBe(url(media, 'source'));
    expect(document.querySelector('video, audio, .viewer img')).toBeNull();
  });

  it('shows progress while transcoding, and the failure reason when processing failed', async () => {
    const transcoding = aMedia({ status: 'transcoding', progress: 40 });
    openMedia(transcoding, someLinks(transcoding.id, []));
    expect(await screen.findByText('Transcoding 40%')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Transcoding progress' }).getAttribute('value')).toBe('40');
  });

  it('says why processing failed', async () => {
    const failed = aMedia({ status: 'failed', failureReason: 'The file is not a video ffmpeg can read.' });
    openMedia(failed, someLinks(failed.id, []));
    expect(await screen.findByText('The file is not a video ffmpeg can read.')).toBeTruthy();
    expect(screen.getByText('Failed', { selector: '.badge' })).toBeTruthy();
  });

  it('re-requests links when the video’s URL fails after a while (expired)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-03-01T10:00:00Z') });
    const media = aMedia();
    let version = 0;
    const { api } = openMedia(media, null);
    api.on('GET', `/api/media/${media.id}/links`, () => {
      version++;
      return { body: someLinks(media.id, ['proxy', 'poster'], { tag: `v${version}` }) };
    });
    await act(() => vi.advanceTimersByTimeAsync(0));
    const video = document.querySelector('video')!;
    expect(video.getAttribute('src')).toBe(url(media, 'proxy', 'v1'));
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    fireEvent.error(video);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(document.querySelector('video')!.getAttribute('src')).toBe(url(media, 'proxy', 'v2'));
  });

  it('renames the file (PATCH) and shows the API’s message when refused', async () => {
    const media = aMedia({ filename: 'old.mov' });
    const { api } = openMedia(media, someLinks(media.id, ['proxy']));
    api.on('PATCH', `/api/media/${media.id}`, (call) => {
      const { filename } = call.body as { filename: string };
      return filename === 'taken.mov'
        ? { status: 409, body: { code: 'FILENAME_TAKEN', message: 'Another file has that name.' } }
        : { body: { ...media, filename } };
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    const input = screen.getByLabelText('File name');
    fireEvent.change(input, { target: { value: 'taken.mov' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Another file has that name.');

    fireEvent.change(input, { target: { value: '  new.mov ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('heading', { name: 'new.mov' })).toBeTruthy();
    expect(api.callsTo('PATCH', `/api/media/${media.id}`).map((c) => c.body)).toEqual([{ filename: 'taken.mov' }, { filename: 'new.mov' }]);
  });

  it('lets admins delete after confirming, then goes back to the library', async () => {
    const media = aMedia({ filename: 'gone.mov' });
    const { api, app } = openMedia(media, someLinks(media.id, ['proxy']));
    api.on('DELETE', `/api/media/${media.id}`, { status: 204 });
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);

    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(api.callsTo('DELETE', `/api/media/${media.id}`)).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(app.location()).toBe('/'));
    expect(api.callsTo('DELETE', `/api/media/${media.id}`)).toHaveLength(1);
  });

  it('lets admins re-process a failed item, which then shows as waiting for processing', async () => {
    const media = aMedia({ filename: 'broken.mov', status: 'failed', failureReason: 'CORRUPT_MEDIA' });
    const { api } = openMedia(media, someLinks(media.id, []));
    api.on('POST', `/api/media/${media.id}/reprocess`, { body: { ...media, status: 'uploaded', failureReason: null, progress: 0 } });
    fireEvent.click(await screen.findByRole('button', { name: 'Re-process' }));
    await waitFor(() => expect(api.callsTo('POST', `/api/media/${media.id}/reprocess`)).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText(/Processing failed/)).toBeNull());
    expect(screen.queryByRole('button', { name: 'Re-process' })).toBeNull();
  });

  it('offers no delete to members', async () => {
    const media = aMedia();
    openMedia(media, someLinks(media.id, ['proxy']), aMember());
    await screen.findByRole('link', { name: 'Download original' });
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Re-process' })).toBeNull();
  });

  it('says when the item does not exist', async () => {
    mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/media/nope', { status: 404, body: { code: 'NOT_FOUND', message: 'Media not found.' } });
    renderApp('/media/nope');
    expect(await screen.findByRole('heading', { name: 'Media not found' })).toBeTruthy();
  });
});
