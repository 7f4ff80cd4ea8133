import { isKeyInMediaPrefix, mediaPrefix } from '@isola/tenant-storage';

/**
 * The key an object of a media gets in another target: the same path relative to the media's folder
 * (`<prefix>/media/<id>/…`), under the other target's prefix. A bijection between the two targets'
 * media folders, so the old key can always be recomputed from the new one (source deletion) and a
 * copy retried after a crash lands on exactly the same key (no duplicates).
 */
export function relocateKey(key: string, fromPrefix: string, toPrefix: string, mediaId: string): string {
  if (!isKeyInMediaPrefix(key, fromPrefix, mediaId)) {
    throw new RangeError(`Object key ${JSON.stringify(key)} is not inside media ${JSON.stringify(mediaId)}'s folder of its target`);
  }
  return mediaPrefix(toPrefix, mediaId) + key.slice(mediaPrefix(fromPrefix, mediaId).length);
}
