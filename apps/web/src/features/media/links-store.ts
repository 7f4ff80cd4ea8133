import type { MediaLinksResponse } from '@isola/contracts';
import { apiGet } from '../../lib/api';

/**
 * Presigned links per media item, shared by every screen that shows it (a card and the media page ask once).
 * Each GET of /links mints fresh URLs and writes an audit row, so answers are reused until they near expiry.
 */
export interface LinksEntry {
  links: MediaLinksResponse;
  /** Date.now() when the answer arrived. */
  fetchedAt: number;
  /** The earliest `expiresAt` in the answer, in ms since the epoch. */
  expiresAt: number;
}

/** Links are re-requested this long before they expire, so a URL handed out is never about to die. */
export const LINK_REFRESH_MARGIN_MS = 30_000;

const entries = new Map<string, LinksEntry>();
const inflight = new Map<string, Promise<LinksEntry>>();

export function earliestExpiry(links: MediaLinksResponse): number {
  const all = [links.source, ...Object.values(links.renditions)];
  return Math.min(...all.map((link) => Date.parse(link.expiresAt)).filter((t) => !Number.isNaN(t)));
}

export function isFresh(entry: LinksEntry, now = Date.now()): boolean {
  return entry.expiresAt - LINK_REFRESH_MARGIN_MS > now;
}

/**
 * `revision` names the state of the item the links were asked for (its status): renditions appear when
 * transcoding finishes, so links from before then are not reused after.
 */
function cacheKey(mediaId: string, revision: string): string {
  return `${mediaId}\u0000${revision}`;
}

/** The cached links when still fresh. */
export function peekLinks(mediaId: string, revision = ''): LinksEntry | undefined {
  const entry = entries.get(cacheKey(mediaId, revision));
  return entry && isFresh(entry) ? entry : undefined;
}

/** Fresh links for one media item: from the cache, from a request already in flight, or a new request. */
export function loadLinks(mediaId: string, { force = false, revision = '' } = {}): Promise<LinksEntry> {
  const key = cacheKey(mediaId, revision);
  const cached = peekLinks(mediaId, revision);
  if (cached && !force) return Promise.resolve(cached);
  const pending = inflight.get(key);
  if (pending) return pending;
  const request = apiGet<MediaLinksResponse>(`/media/${encodeURIComponent(mediaId)}/links`)
    .then((links) => {
      const entry: LinksEntry = { links, fetchedAt: Date.now(), expiresAt: earliestExpiry(links) };
      entries.set(key, entry);
      return entry;
    })
    .finally(() => inflight.delete(key));
  inflight.set(key, request);
  return request;
}

/** On sign-out: links belong to the session that minted them. */
export function clearLinksCache(): void {
  entries.clear();
  inflight.clear();
}
