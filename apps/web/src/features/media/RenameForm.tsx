import type { MediaDto } from '@isola/contracts';
import { type FormEvent, useState } from 'react';
import { apiRequest } from '../../lib/api';
import { toApiRequestError } from '../../lib/useApiResource';

/** The file name as the page heading, with an inline rename (PATCH /api/media/:id). */
export function RenameForm({ media, onRenamed }: { media: MediaDto; onRenamed: (media: MediaDto) => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(media.filename);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!editing) {
    return (
      <div className="title-row">
        <h1 className="media-title">{media.filename}</h1>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => {
            setName(media.filename);
            setError(null);
            setEditing(true);
          }}
        >
          Rename
        </button>
      </div>
    );
  }

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const filename = name.trim();
    if (!filename) {
      setError('The name cannot be empty.');
      return;
    }
    if (filename === media.filename) {
      setEditing(false);
      return;
    }
    setBusy(true);
    try {
      const updated = await apiRequest<MediaDto | undefined>(`/media/${encodeURIComponent(media.id)}`, {
        method: 'PATCH',
        body: { filename },
      });
      onRenamed(updated ?? { ...media, filename });
      setEditing(false);
    } catch (err) {
      setError(toApiRequestError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rename-form" onSubmit={(e) => void onSubmit(e)} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
      <label htmlFor="rename-input">File name</label>
      <div className="rename-row">
        <input id="rename-input" value={name} maxLength={1000} onChange={(e) => setName(e.target.value)} autoFocus disabled={busy} />
        <button type="submit" className="button button-primary" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" onClick={() => setEditing(false)} disabled={busy}>
          Cancel
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </form>
  );
}
