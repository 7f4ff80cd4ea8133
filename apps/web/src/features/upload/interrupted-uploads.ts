/*
 * A note in localStorage that a user's uploads are under way, so that after a reload the app shell starts the
 * uploader (and Golden Retriever resumes them) on any page, not only when the upload panel opens. Kept apart
 * from create-uploader.ts: the shell reads it without loading Uppy.
 */
const KEY = 'isola.uploads.pending.';

/** True when this user's uploads were interrupted (a reload mid-upload) and may be resumed. */
export function hasInterruptedUploads(userId: string): boolean {
  try {
    return window.localStorage.getItem(KEY + userId) !== null;
  } catch {
    return false;
  }
}

export function markInterruptedUploads(userId: string, pending: boolean): void {
  try {
    if (pending) window.localStorage.setItem(KEY + userId, '1');
    else window.localStorage.removeItem(KEY + userId);
  } catch {
    // Private mode or full storage: the uploads are then restored when the upload panel opens.
  }
}
