import type { MediaLinksResponse } from '@isola/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiRequestError } from '../../lib/api';
import { toApiRequestError } from '../../lib/useApiResource';
import { LINK_REFRESH_MARGIN_MS, type LinksEntry, loadLinks, peekLinks } from './links-store';

/** Never re-request sooner than this, even if the server's clock says the links are (nearly) expired already. */
const MIN_REFRESH_DELAY_MS = 5_000;
/** A media element failing on links younger than this is not an expiry problem: refetching would not help. */
const ERROR_REFRESH_MIN_AGE_MS = 10_000;

export interface LinksState {
  links: MediaLinksResponse | null;
  error: ApiRequestError | null;
  /** Re-request now (the links may be fine: this is for a "retry" button). */
  refresh: () => void;
  /** For <img>/<video>/<audio> `onError`: the URL may have expired, so fetch new links unless they are brand new. */
  onMediaError: () => void;
}

/**
 * The presigned links of one media item, kept fresh: re-requested shortly before `expiresAt` passes and when
 * a media element reports an error on an older link. `enabled: false` defers the request (cards off screen);
 * a new `revision` (the item's status) asks again, since renditions appear when transcoding finishes.
 */
export function useLinks(mediaId: string | null, { enabled = true, revision = '' } = {}): LinksState {
  // Answers are tagged with their media id, so a screen switching items never shows the previous item's links.
  const [loaded, setLoaded] = useState<{ key: string; entry: LinksEntry } | null>(null);
  const [error, setError] = useState<{ key: string; error: ApiRequestError } | null>(null);
  const [forced, setForced] = useState(0);
  const handledForce = useRef(0);
  const key = `${mediaId ?? ''}/${revision}`;
  const entry = mediaId ? (loaded?.key === key ? loaded.entry : (peekLinks(mediaId, revision) ?? null)) : null;
  const entryRef = useRef(entry);
  useEffect(() => {
    entryRef.current = entry;
  });

  useEffect(() => {
    if (!mediaId || !enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (force: boolean) => {
      loadLinks(mediaId, { force, revision }).then(
        (next) => {
          if (!live) return;
          setLoaded({ key, entry: next });
          setError(null);
          const delay = Math.max(next.expiresAt - LINK_REFRESH_MARGIN_MS - Date.now(), MIN_REFRESH_DELAY_MS);
          clearTimeout(timer);
          timer = setTimeout(() => load(false), delay);
        },
        (err: unknown) => {
          if (live) setError({ key, error: toApiRequestError(err) });
        },
      );
    };
    // A refresh bypasses the cache; the first load (and a new item or revision) may use it.
    load(forced !== handledForce.current);
    handledForce.current = forced;
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [mediaId, enabled, revision, key, forced]);

  const refresh = useCallback(() => setForced((n) => n + 1), []);
  const onMediaError = useCallback(() => {
    const current = entryRef.current;
    if (current && Date.now() - current.fetchedAt < ERROR_REFRESH_MIN_AGE_MS) return;
    setForced((n) => n + 1);
  }, []);

  return { links: entry?.links ?? null, error: error && error.key === key ? error.error : null, refresh, onMediaError };
}
