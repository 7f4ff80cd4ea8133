import type { MediaDto } from '@isola/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { aMe, aMedia, aRendition, someLinks } from '../test/fixtures';
import { type MockApi, mockApi } from '../test/mock-api';
import { renderApp } from '../test/render';

function page(items: MediaDto[], nextCursor: string | null = null) {
  return { body: { items, nextCursor } };
}

function signedIn(): MockApi {
  return mockApi().on('GET', '/api/auth/me', { body: aMe() });
}

function listQueries(api: MockApi): URLSearchParams[] {
  return api.callsTo('GET', '/api/media').map((c) => c.url.searchParams);
}

describe('library', () => {
  it('shows a card per item: thumbnail when ready, a placeholder with progress while processing', async () => {
    const ready = aMedia({ filename: 'hero.mov', renditions: [aRendition('thumbnail'), aRendition('proxy')] });
    const transcoding = aMedia({ filename: 'teaser.mov', status: 'transcoding', progress: 40 });
    const uploading = aMedia({ filename: 'raw.mxf', status: 'uploading', progress: 0 });
    const doc = aMedia({ filename: 'script.pdf', kind: 'document', contentType: 'application/pdf', durationMs: null });
    const api = signedIn()
      .on('GET', '/api/media', page([ready, transcoding, uploading, doc]))
      .on('GET', `/api/media/${ready.id}/links`, { body: someLinks(ready.id, ['thumbnail', 'proxy']) });
    renderApp('/');

    const cards = await screen.findAllByTestId('media-card');
    expect(cards.map((c) => within(c).getByTitle(/./).textContent)).toEqual(['hero.mov', 'teaser.mov', 'raw.mxf', 'script.pdf']);

    const heroImg = await waitFor(() => {
      const img = cards[0]!.querySelector('img');
      expect(img).toBeTruthy();
      return img!;
    });
    expect(heroImg.getAttribute('src')).toBe(`https://bucket.test/${ready.id}/thumbnail?sig=v1`);
    expect(within(cards[0]!).getByText('Ready')).toBeTruthy();

    expect(within(cards[1]!).getByText(/transcoding 40%/i)).toBeTruthy();
    expect(within(cards[1]!).getByRole('progressbar').getAttribute('value')).toBe('40');
    expect(within(cards[1]!).getByText('Transcoding', { selector: '.badge' })).toBeTruthy();
    expect(within(cards[2]!).getByText('Uploading…')).toBeTruthy();
    expect(within(cards[3]!).getByText('Document · 50 MB')).toBeTruthy();

    // Links only for the card that has a thumbnail to show.
    expect(api.calls.filter((c) => c.url.pathname.endsWith('/links')).map((c) => c.url.pathname)).toEqual([`/api/media/${ready.id}/links`]);
    expect(listQueries(api)[0]?.toString()).toBe('limit=48');
  });

  it('asks for thumbnails only once a card nears the viewport', async () => {
    const observed: Array<(entries: IntersectionObserverEntry[]) => void> = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(private readonly cb: (entries: IntersectionObserverEntry[]) => void) {}
        observe(target: Element) {
          observed.push((entries) => this.cb(entries.map((e) => ({ ...e, target }))));
        }
        disconnect() {}
      },
    );
    const ready = aMedia({ renditions: [aRendition('thumbnail')] });
    const api = signedIn()
      .on('GET', '/api/media', page([ready]))
      .on('GET', `/api/media/${ready.id}/links`, { body: someLinks(ready.id, ['thumbnail']) });
    renderApp('/');
    await screen.findByTestId('media-card');
    // the card observes itself in an effect, which a loaded machine may run after the card shows
    await waitFor(() => expect(observed.length).toBeGreaterThan(0), { timeout: 5_000 });
    expect(api.calls.some((c) => c.url.pathname.endsWith('/links'))).toBe(false);
    act(() => observed.forEach((report) => report([{ isIntersecting: true } as IntersectionObserverEntry])));
    await waitFor(() => expect(api.callsTo('GET', `/api/media/${ready.id}/links`)).toHaveLength(1), { timeout: 5_000 });
  });

  it('filters by type and status and searches by name (debounced) through the API’s query', async () => {
    const api = signedIn().on('GET', '/api/media', page([aMedia()]));
    const app = renderApp('/');
    await screen.findByTestId('media-card');

    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'video' } });
    await waitFor(() => expect(listQueries(api).at(-1)?.get('type')).toBe('video'));
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    await waitFor(() => expect(listQueries(api).at(-1)?.get('status')).toBe('failed'));

    const before = listQueries(api).length;
    const search = screen.getByLabelText('Search by name');
    fireEvent.change(search, { target: { value: 'h' } });
    fireEvent.change(search, { target: { value: 'her' } });
    fireEvent.change(search, { target: { value: 'hero ' } });
    await waitFor(() => expect(listQueries(api).at(-1)?.get('q')).toBe('hero'));
    expect(listQueries(api).length).toBe(before + 1);
    expect(listQueries(api).at(-1)?.toString()).toBe('type=video&status=failed&q=hero&limit=48');
    expect(app.location()).toBe('/?type=video&status=failed&q=hero');
  });

  it('pages with the cursor ("Load more") and appends', async () => {
    const first = aMedia({ filename: 'one.mov' });
    const second = aMedia({ filename: 'two.mov' });
    const api = signedIn().on('GET', '/api/media', (call) =>
      call.url.searchParams.get('cursor') === 'c2' ? page([second]) : page([first], 'c2'),
    );
    renderApp('/');
    await screen.findByText('one.mov');
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText('two.mov');
    expect(screen.getAllByTestId('media-card')).toHaveLength(2);
    expect(listQueries(api).at(-1)?.get('cursor')).toBe('c2');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('has an empty state, and another one for filters that match nothing', async () => {
    signedIn().on('GET', '/api/media', page([]));
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'No media yet' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'audio' } });
    expect(await screen.findByRole('heading', { name: 'Nothing matches' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('heading', { name: 'No media yet' })).toBeTruthy();
  });

  it('shows the API’s error and retries', async () => {
    let fail = true;
    signedIn().on('GET', '/api/media', () =>
      fail ? { status: 500, body: { code: 'INTERNAL_ERROR', message: 'Database unavailable.' } } : page([aMedia({ filename: 'back.mov' })]),
    );
    renderApp('/');
    expect((await screen.findByRole('alert')).textContent).toContain('Database unavailable.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('back.mov')).toBeTruthy();
  });

  it('polls items being processed until they are ready', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const item = aMedia({ filename: 'teaser.mov', status: 'transcoding', progress: 40 });
    let progress = 40;
    signedIn()
      .on('GET', '/api/media', page([item]))
      .on('GET', `/api/media/${item.id}`, () => ({ body: { ...item, progress } }));
    renderApp('/');
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByText('Transcoding 40%')).toBeTruthy();
    progress = 75;
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(screen.getByText('Transcoding 75%')).toBeTruthy();
  });
});
