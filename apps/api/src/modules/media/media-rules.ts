import type { MediaStatus } from '@isola/contracts';
import type { StorageMode } from '@isola/tenant-storage';

/**
 * Whether deleting a media removes its objects: always in the platform's hosted bucket; in a
 * studio's own bucket only when the studio opted in (Tenant.deleteObjectsEnabled), otherwise Isola
 * forgets the media and leaves the objects to the studio.
 */
export function mayDeleteObjects(mode: StorageMode, deleteObjectsEnabled: boolean): boolean {
  return mode === 'hosted' || deleteObjectsEnabled;
}

/** The source object exists (and may be linked to) from the moment the upload completed. */
export function hasStoredSource(status: MediaStatus): boolean {
  return status === 'uploaded' || status === 'transcoding' || status === 'ready';
}

/** Download name of a rendition: `<name without extension>.<kind>.<rendition's extension>`. */
export function renditionFilename(mediaFilename: string, kind: string, renditionKey: string): string {
  const dot = mediaFilename.lastIndexOf('.');
  const stem = dot > 0 ? mediaFilename.slice(0, dot) : mediaFilename;
  const name = renditionKey.slice(renditionKey.lastIndexOf('/') + 1);
  const extDot = name.lastIndexOf('.');
  return extDot > 0 ? `${stem}.${kind}${name.slice(extDot)}` : `${stem}.${kind}`;
}
