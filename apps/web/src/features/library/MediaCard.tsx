import type { MediaDto } from '@isola/contracts';
import { useRef } from 'react';
import { Link } from 'react-router';
import { formatBytes, formatDuration } from '../../lib/format';
import { useInView } from '../../lib/useInView';
import { KindIcon } from '../media/KindIcon';
import { LinkedImage } from '../media/LinkedMedia';
import { KIND_LABELS, isProcessing, processingLabel } from '../media/media-labels';
import { StatusBadge } from '../media/StatusBadge';
import { useLinks } from '../media/useLinks';

/** The card's picture: the thumbnail (links asked for only once the card nears the viewport) or a placeholder. */
function Thumb({ media }: { media: MediaDto }) {
  const box = useRef<HTMLDivElement>(null);
  const inView = useInView(box);
  const hasThumbnail = media.status === 'ready' && media.renditions.some((r) => r.kind === 'thumbnail');
  const { links, onMediaError } = useLinks(media.id, { enabled: hasThumbnail && inView, revision: media.status });
  const thumbnail = links?.renditions.thumbnail;

  let content;
  if (isProcessing(media.status) || media.status === 'failed') {
    content = (
      <div className="thumb-placeholder" title={media.failureReason ?? undefined}>
        <span>{processingLabel(media)}</span>
        {media.status === 'transcoding' && (
          <progress max={100} value={media.progress} aria-label={`Transcoding progress of ${media.filename}`} />
        )}
      </div>
    );
  } else if (thumbnail) {
    content = <LinkedImage url={thumbnail.url} alt="" onExpired={onMediaError} />;
  } else {
    content = <KindIcon kind={media.kind} />;
  }
  return (
    <div ref={box} className="thumb" data-status={media.status}>
      {content}
    </div>
  );
}

export function MediaCard({ media }: { media: MediaDto }) {
  const meta = [KIND_LABELS[media.kind], formatBytes(media.sizeBytes)];
  if (media.durationMs !== null) meta.push(formatDuration(media.durationMs));
  return (
    <li className="media-card" data-testid="media-card">
      <Link to={`/media/${media.id}`} className="media-card-link">
        <Thumb media={media} />
        <div className="media-card-body">
          <span className="media-card-name" title={media.filename}>
            {media.filename}
          </span>
          <span className="media-card-meta">
            <span>{meta.join(' · ')}</span>
            <StatusBadge status={media.status} />
          </span>
        </div>
      </Link>
    </li>
  );
}
