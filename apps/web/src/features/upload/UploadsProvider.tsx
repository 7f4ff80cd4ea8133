import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
// Type-only: Uppy's code is loaded on the upload route, never with the app shell.
import type { IsolaUppy, UploadSummary } from './create-uploader';

interface UploadsApi {
  /** The session's uploader, created (and its code loaded) on first use. */
  getUploader: () => Promise<IsolaUppy>;
  summary: UploadSummary;
  /** Called when files reach the bucket; returns the unsubscribe function. */
  onUploadsChanged: (listener: () => void) => () => void;
}

const UploadsContext = createContext<UploadsApi | null>(null);

/**
 * Holds the uploader for as long as the user is signed in, so uploads keep going while they browse the
 * library or open a media item; signing out (this provider unmounting) cancels them.
 */
export function UploadsProvider({ children }: { children: ReactNode }) {
  const uploader = useRef<Promise<IsolaUppy> | null>(null);
  const listeners = useRef(new Set<() => void>());
  const [summary, setSummary] = useState<UploadSummary>({ uploading: 0, percent: 0 });

  const getUploader = useCallback(() => {
    uploader.current ??= import('./create-uploader').then(({ createUploader }) =>
      createUploader({
        onSummary: setSummary,
        onUploaded: () => listeners.current.forEach((listener) => listener()),
      }),
    );
    return uploader.current;
  }, []);

  useEffect(
    () => () => {
      const pending = uploader.current;
      uploader.current = null;
      void pending?.then((uppy) => uppy.destroy());
    },
    [],
  );

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

  const api = useMemo(() => ({ getUploader, summary, onUploadsChanged }), [getUploader, summary, onUploadsChanged]);
  return <UploadsContext.Provider value={api}>{children}</UploadsContext.Provider>;
}

export function useUploads(): UploadsApi {
  const api = useContext(UploadsContext);
  if (!api) throw new Error('useUploads must be used inside <UploadsProvider>');
  return api;
}
