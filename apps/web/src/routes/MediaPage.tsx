import type { MediaDto } from '@isola/contracts';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isTenantAdmin, useMe } from '../app/session';
import { MediaViewer } from '../features/media/MediaViewer';
import { KIND_LABELS, isProcessing } from '../features/media/media-labels';
import { RenameForm } from '../features/media/RenameForm';
import { StatusBadge } from '../features/media/StatusBadge';
import { useLinks } from '../features/media/useLinks';
import '../features/media/media.css';
import { apiRequest } from '../lib/api';
import { formatBytes, formatDateTime, formatDuration } from '../lib/format';
import { toApiRequestError, useApiResource } from '../lib/useApiResource';
import { usePolling } from '../lib/usePolling';

/** How often a media item still being processed is asked for again. */
export const MEDIA_POLL_MS = 4_000;

/** A button that runs one API action, shows it is busy, and shows the API's message if it fails. */
function ActionButton({
  label,
  busyLabel,
  className,
  confirmMessage,
  run,
}: {
  label: string;
  busyLabel: string;
  className: string;
  /** Asked first; nothing is sent when the user backs out. */
  confirmMessage?: string;
  run: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onClick = async () => {
    if (confirmMessage !== undefined && !window.confirm(confirmMessage)) return;
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(toApiRequestError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={() => void onClick()} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </>
  );
}

function DeleteButton({ media }: { media: MediaDto }) {
  const navigate = useNavigate();
  return (
    <ActionButton
      label="Delete"
      busyLabel="Deleting…"
      className="button button-danger"
      confirmMessage={`Delete “${media.filename}”? The original and all its renditions will be removed.`}
      run={async () => {
        await apiRequest<void>(`/media/${encodeURIComponent(media.id)}`, { method: 'DELETE' });
        await navigate('/', { replace: true });
      }}
    />
  );
}

/** Tenant admins re-run transcoding (a fresh one-time grant on the server, audited). */
function ReprocessButton({ media, onStarted }: { media: MediaDto; onStarted: (media: MediaDto) => void }) {
  return (
    <ActionButton
      label="Re-process"
      busyLabel="Starting…"
      className="button"
      run={async () => onStarted(await apiRequest<MediaDto>(`/media/${encodeURIComponent(media.id)}/reprocess`, { method: 'POST' }))}
    />
  );
}

function Details({ media }: { media: MediaDto }) {
  const rows: Array<[string, string]> = [
    ['Type', `${KIND_LABELS[media.kind]} · ${media.contentType}`],
    ['Size', formatBytes(media.sizeBytes)],
  ];
  if (media.durationMs !== null) rows.push(['Duration', formatDuration(media.durationMs)]);
  if (media.width !== null && media.height !== null) rows.push(['Dimensions', `${media.width} × ${media.height}`]);
  rows.push(['Uploaded', formatDateTime(media.createdAt)]);
  if (media.sha256) rows.push(['SHA-256', media.sha256]);
  return (
    <dl className="details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd className={term === 'SHA-256' ? 'mono' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MediaPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { state, reload, setData } = useApiResource<MediaDto>(`/media/${encodeURIComponent(id)}`);
  const media = state.status === 'loaded' ? state.data : null;
  usePolling(media !== null && isProcessing(media.status), reload, MEDIA_POLL_MS);
  // Nothing is in the bucket until the upload completes.
  const links = useLinks(id, {
    enabled: media !== null && media.status !== 'uploading' && media.status !== 'deleted',
    revision: media?.status ?? '',
  });

  if (state.status === 'loading') {
    return (
      <p className="page-status" aria-busy="true">
        Loading…
      </p>
    );
  }
  if (state.status === 'error') {
    const notFound = state.error.status === 404;
    return (
      <section className="page-status">
        <h1>{notFound ? 'Media not found' : 'This media item cannot be loaded'}</h1>
        <p role="alert">{notFound ? 'It does not exist or was deleted.' : state.error.message}</p>
        {!notFound && (
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        )}
        <p>
          <Link to="/">Back to the library</Link>
        </p>
      </section>
    );
  }

  const { data } = state;
  return (
    <article className="media-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Library</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{data.filename}</span>
      </nav>
      <div className="media-layout">
        <section className="viewer" aria-label="Preview">
          <MediaViewer media={data} links={links} />
        </section>
        <aside className="media-side">
          <RenameForm key={data.id} media={data} onRenamed={setData} />
          <div className="status-row">
            <StatusBadge status={data.status} />
            {data.status === 'transcoding' && <span className="muted">{data.progress}%</span>}
          </div>
          {data.status === 'failed' && (
            <div className="callout callout-error">
              <strong>Processing failed.</strong> {data.failureReason ?? 'No reason was recorded.'}
            </div>
          )}
          <Details media={data} />
          <div className="actions">
            {links.links ? (
              <a className="button button-primary" href={links.links.source.url} download={data.filename}>
                Download original
              </a>
            ) : (
              data.status !== 'uploading' && (
                <span className="muted">{links.error ? `Download unavailable: ${links.error.message}` : ''}</span>
              )
            )}
            {isTenantAdmin(me) && (data.status === 'ready' || data.status === 'failed') && (
              <ReprocessButton media={data} onStarted={setData} />
            )}
            {isTenantAdmin(me) && <DeleteButton media={data} />}
          </div>
        </aside>
      </div>
    </article>
  );
}
