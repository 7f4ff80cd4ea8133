import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
// Type-only: Uppy's code is loaded on the upload route, never with the app shell.
import type { IsolaUppy, UploadSummary } from './create-uploader';
import { hasInterruptedUploads } from './interrupted-uploads';

interface UploadsApi {
  /** The session's uploader, created (and its code loaded) on first use. */
  getUploader: () => Promise<IsolaUppy>;
  summary: UploadSummary;
  /** Called when files reach the bucket; returns the unsubscribe function. */
  onUploadsChanged: (listener: () => void) => () => void;
  /** Cancels every upload (aborting them in the bucket) and forgets them: signing out calls it first. */
  cancelAll: () => Promise<void>;
}

const UploadsContext = createContext<UploadsApi | null>(null);

/**
 * Holds the uploader for as long as the user is signed in, so uploads keep going while they browse the
 * library or open a media item. Uploads a reload interrupted are resumed as soon as the app is back (any
 * page); signing out cancels them.
 */
export function UploadsProvider({ userId = 'anonymous', children }: { userId?: string; children: ReactNode }) {
  const uploader = useRef<Promise<IsolaUppy> | null>(null);
  const listeners = useRef(new Set<() => void>());
  const [summary, setSummary] = useState<UploadSummary>({ uploading: 0, interrupted: 0, percent: 0 });

  const getUploader = useCallback(() => {
    uploader.current ??= import('./create-uploader').then(({ createUploader }) =>
      createUploader({
        userId,
        onSummary: setSummary,
        onUploaded: () => listeners.current.forEach((listener) => listener()),
      }),
    );
    return uploader.current;
  }, [userId]);

  // A reload interrupted this user’s uploads: start the uploader now (it restores them), so the header offers to resume.
  useEffect(() => {
    if (hasInterruptedUploads(userId)) void getUploader();
  }, [getUploader, userId]);

  useEffect(
    () => () => {
      const pending = uploader.current;
      uploader.current = null;
      void pending?.then((uppy) => {
        // Unmounting (an expired session, React's development double mount) must not wipe what a later
        // uploader restores: stop persisting before destroy() cancels the files.
        const persistence = uppy.getPlugin('GoldenRetriever');
        if (persistence) uppy.removePlugin(persistence);
        uppy.destroy();
      });
    },
    [],
  );

  const cancelAll = useCallback(async () => {
    const uppy = await uploader.current;
    uppy?.cancelAll();
  }, []);

  // Leaving the page would drop the uploads in flight: let the browser ask first.
  useEffect(() => {
    if (summary.uploading === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [summary.uploading]);

  const onUploadsChanged = useCallback((listener: () => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const api = useMemo(() => ({ getUploader, summary, onUploadsChanged, cancelAll }), [getUploader, summary, onUploadsChanged, cancelAll]);
  return <UploadsContext.Provider value={api}>{children}</UploadsContext.Provider>;
}

export function useUploads(): UploadsApi {
  const api = useContext(UploadsContext);
  if (!api) throw new Error('useUploads must be used inside <UploadsProvider>');
  return api;
}
