import { useEffect, useRef, useState } from 'react';

/*
 * Elements showing a presigned URL. A fresh link for the same object would make the element download (or
 * restart) it again, so the element keeps the URL it has loaded and takes the newest one only when it has not
 * loaded anything yet or when its URL fails (expired): then `onExpired` asks for new links, and a video or
 * audio element resumes where it was.
 */

interface LinkedProps {
  /** The newest link for the object. */
  url: string;
  /** The element's URL failed: fetch new links (useLinks' `onMediaError`). */
  onExpired: () => void;
}

export function LinkedImage({ url, onExpired, alt, className }: LinkedProps & { alt: string; className?: string }) {
  const [src, setSrc] = useState(url);
  const loaded = useRef(false);
  const failed = useRef(false);

  useEffect(() => {
    if (url === src || (loaded.current && !failed.current)) return;
    loaded.current = false;
    failed.current = false;
    setSrc(url);
  }, [url, src]);

  return (
    <img
      src={src}
      alt={alt}
      className={className}
      onLoad={() => {
        loaded.current = true;
      }}
      onError={() => {
        failed.current = true;
        if (url === src) onExpired();
        else setSrc(url);
      }}
    />
  );
}

interface PlayerProps extends LinkedProps {
  kind: 'video' | 'audio';
  /** Accessible name of the player. */
  label: string;
  poster?: string | undefined;
}

export function LinkedPlayer({ kind, url, poster, onExpired, label }: PlayerProps) {
  const element = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [src, setSrc] = useState(url);
  const wantsPlay = useRef(false);
  /** Set when the URL failed: where to pick up once the fresh one has loaded. */
  const resume = useRef<{ time: number; play: boolean } | null>(null);

  useEffect(() => {
    if (url === src) return;
    const el = element.current;
    const untouched = !el || (el.paused && el.currentTime === 0);
    if (untouched || resume.current) setSrc(url);
  }, [url, src]);

  const onError = () => {
    resume.current = { time: element.current?.currentTime ?? 0, play: wantsPlay.current };
    if (url === src) onExpired();
    else setSrc(url);
  };

  const onLoadedMetadata = () => {
    const el = element.current;
    const at = resume.current;
    if (!el || !at) return;
    resume.current = null;
    if (at.time > 0) el.currentTime = at.time;
    if (at.play) void el.play().catch(() => undefined);
  };

  const common = {
    ref: element,
    src,
    controls: true,
    preload: 'metadata',
    'aria-label': label,
    onError,
    onLoadedMetadata,
    onPlay: () => {
      wantsPlay.current = true;
    },
    onPause: () => {
      wantsPlay.current = false;
    },
  } as const;
  return kind === 'video' ? (
    <video {...common} poster={poster} playsInline className="player" />
  ) : (
    <audio {...common} className="player-audio" />
  );
}
