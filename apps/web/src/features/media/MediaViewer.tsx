import type { MediaDto, MediaLinksResponse } from '@isola/contracts';
import type { ReactNode } from 'react';
import { KindIcon } from './KindIcon';
import { LinkedImage, LinkedPlayer } from './LinkedMedia';
import { isProcessing, processingLabel } from './media-labels';
import type { LinksState } from './useLinks';

function Placeholder({ media, children }: { media: MediaDto; children: ReactNode }) {
  return (
    <div className="viewer-placeholder" data-kind={media.kind}>
      <KindIcon kind={media.kind} size={48} />
      {children}
    </div>
  );
}

function ProcessingNote({ media }: { media: MediaDto }) {
  return (
    <>
      <p>{processingLabel(media)}</p>
      {media.status === 'transcoding' && <progress max={100} value={media.progress} aria-label="Transcoding progress" />}
    </>
  );
}

/** The preview a kind calls for: the video proxy with its poster, the image, the audio proxy; else a placeholder. */
export function MediaViewer({ media, links }: { media: MediaDto; links: LinksState }) {
  const { links: current, error, refresh, onMediaError } = links;
  const renditions: MediaLinksResponse['renditions'] = current?.renditions ?? {};

  if (media.kind === 'video' && renditions.proxy) {
    return (
      <LinkedPlayer
        kind="video"
        url={renditions.proxy.url}
        poster={renditions.poster?.url}
        onExpired={onMediaError}
        label={media.filename}
      />
    );
  }
  if (media.kind === 'image' && current && media.status === 'ready') {
    return (
      <div className="viewer-image">
        <LinkedImage url={(renditions.proxy ?? current.source).url} alt={media.filename} onExpired={onMediaError} />
      </div>
    );
  }
  if (media.kind === 'audio' && current && media.status === 'ready') {
    return (
      <div className="viewer-audio">
        {renditions.waveform && <LinkedImage url={renditions.waveform.url} alt="" className="waveform" onExpired={onMediaError} />}
        <LinkedPlayer kind="audio" url={(renditions.audio_proxy ?? current.source).url} onExpired={onMediaError} label={media.filename} />
      </div>
    );
  }
  if (isProcessing(media.status)) {
    return (
      <Placeholder media={media}>
        <ProcessingNote media={media} />
      </Placeholder>
    );
  }
  if (media.status === 'failed') {
    return (
      <Placeholder media={media}>
        <p>No preview: processing failed.</p>
      </Placeholder>
    );
  }
  if (error) {
    return (
      <Placeholder media={media}>
        <p role="alert">The preview cannot be loaded: {error.message}</p>
        <button type="button" className="button" onClick={refresh}>
          Try again
        </button>
      </Placeholder>
    );
  }
  if (!current && (media.kind === 'video' || media.kind === 'image' || media.kind === 'audio')) {
    return (
      <Placeholder media={media}>
        <p aria-busy="true">Loading preview…</p>
      </Placeholder>
    );
  }
  return (
    <Placeholder media={media}>
      <p>No preview for this file. Download the original to open it.</p>
    </Placeholder>
  );
}
