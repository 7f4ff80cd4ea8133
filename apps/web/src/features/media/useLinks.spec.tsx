import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { someLinks, uuid } from '../../test/fixtures';
import { mockApi } from '../../test/mock-api';
import { LinkedImage } from './LinkedMedia';
import { useLinks } from './useLinks';

function Probe({ mediaId }: { mediaId: string }) {
  const { links, onMediaError } = useLinks(mediaId);
  if (!links) return <p>loading</p>;
  return (
    <>
      <a href={links.source.url}>Download original</a>
      {links.renditions.thumbnail && <LinkedImage url={links.renditions.thumbnail.url} alt="thumbnail" onExpired={onMediaError} />}
    </>
  );
}

/** Fake timers for setTimeout and Date only: promises (fetch) settle as usual. */
function useFakeClock() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-03-01T10:00:00Z') });
}

async function advance(ms: number) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

describe('useLinks', () => {
  it('asks for new links shortly before they expire', async () => {
    useFakeClock();
    const id = uuid();
    let version = 0;
    const api = mockApi().on('GET', `/api/media/${id}/links`, () => {
      version++;
      return { body: someLinks(id, ['thumbnail'], { expiresAt: new Date(Date.now() + 120_000).toISOString(), tag: `v${version}` }) };
    });
    render(<Probe mediaId={id} />);
    await advance(0);
    const link = () => screen.getByRole('link', { name: 'Download original' }).getAttribute('href');
    expect(link()).toBe(`https://bucket.test/${id}/source?sig=v1`);

    // 2 min lifetime, refreshed 30 s before the end.
    await advance(89_000);
    expect(api.calls).toHaveLength(1);
    await advance(1_000);
    expect(api.calls).toHaveLength(2);
    expect(link()).toBe(`https://bucket.test/${id}/source?sig=v2`);

    // And again for the new links.
    await advance(90_000);
    expect(api.calls).toHaveLength(3);
    expect(link()).toBe(`https://bucket.test/${id}/source?sig=v3`);
  });

  it('re-requests when an element fails on an older link, not on a brand-new one', async () => {
    useFakeClock();
    const id = uuid();
    let version = 0;
    const api = mockApi().on('GET', `/api/media/${id}/links`, () => {
      version++;
      return { body: someLinks(id, ['thumbnail'], { tag: `v${version}` }) };
    });
    render(<Probe mediaId={id} />);
    await advance(0);
    const img = () => screen.getByRole('img', { name: 'thumbnail' });

    fireEvent.error(img());
    await advance(0);
    expect(api.calls).toHaveLength(1);

    await advance(60_000);
    fireEvent.error(img());
    await advance(0);
    expect(api.calls).toHaveLength(2);
    expect(img().getAttribute('src')).toBe(`https://bucket.test/${id}/thumbnail?sig=v2`);
  });

  it('keeps an image that loaded on its URL when links are refreshed', async () => {
    useFakeClock();
    const id = uuid();
    let version = 0;
    mockApi().on('GET', `/api/media/${id}/links`, () => {
      version++;
      return { body: someLinks(id, ['thumbnail'], { expiresAt: new Date(Date.now() + 120_000).toISOString(), tag: `v${version}` }) };
    });
    render(<Probe mediaId={id} />);
    await advance(0);
    fireEvent.load(screen.getByRole('img', { name: 'thumbnail' }));
    await advance(90_000);
    expect(screen.getByRole('link', { name: 'Download original' }).getAttribute('href')).toContain('sig=v2');
    expect(screen.getByRole('img', { name: 'thumbnail' }).getAttribute('src')).toContain('sig=v1');
  });

  it('shares one request between the screens showing the same item', async () => {
    const id = uuid();
    const api = mockApi().on('GET', `/api/media/${id}/links`, { body: someLinks(id, []) });
    render(
      <>
        <Probe mediaId={id} />
        <Probe mediaId={id} />
      </>,
    );
    expect(await screen.findAllByRole('link', { name: 'Download original' })).toHaveLength(2);
    expect(api.calls).toHaveLength(1);
  });
});
