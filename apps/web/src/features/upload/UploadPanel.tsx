import Dashboard from '@uppy/dashboard';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';
import { useEffect, useRef, useState } from 'react';
import type { IsolaUppy, UploadMeta } from './create-uploader';
import type { UploadBody } from './isola-s3-plugin';
import { useUploads } from './UploadsProvider';
import './upload.css';

/**
 * Uppy's dashboard: drop or pick many files, per-file and total progress, pause/resume/cancel. Closing the
 * panel only hides the dashboard: the uploads go on (the header shows their progress).
 */
export function UploadPanel({ onClose }: { onClose: () => void }) {
  const { getUploader } = useUploads();
  const target = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let mounted: IsolaUppy | null = null;
    getUploader().then(
      (uppy) => {
        if (!live || !target.current) return;
        mounted = uppy;
        uppy.use(Dashboard<UploadMeta, UploadBody>, {
          id: 'Dashboard',
          inline: true,
          target: target.current,
          width: '100%',
          height: 420,
          theme: 'auto',
          proudlyDisplayPoweredByUppy: false,
          hideProgressDetails: false,
          fileManagerSelectionType: 'files',
          note: 'Files go straight from your browser to your studio’s storage.',
        });
      },
      (err: unknown) => {
        if (live) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
      const dashboard = mounted?.getPlugin('Dashboard');
      if (mounted && dashboard) mounted.removePlugin(dashboard);
    };
  }, [getUploader]);

  return (
    <section className="upload-panel card" aria-labelledby="upload-heading">
      <div className="upload-panel-header">
        <h2 id="upload-heading">Upload media</h2>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          The uploader could not start: {error}
        </p>
      ) : (
        <div ref={target} className="upload-dashboard" />
      )}
    </section>
  );
}
