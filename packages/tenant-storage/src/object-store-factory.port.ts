import type { ObjectStore } from './object-store.port.js';
import type { StorageTargetRef } from './storage-target.js';
import type { TemporaryCredentials } from './temporary-credentials.js';

/**
 * Hands out the `ObjectStore` for a (target, credential) pair. Implementations keep one store per
 * pair — keyed by the target's config hash and the credential's access key — so everything a store
 * caches (its signer and signing keys, its SDK client) is reused for as long as the credential is.
 */
export abstract class ObjectStoreFactory {
  abstract forCredentials(target: StorageTargetRef, credentials: TemporaryCredentials): ObjectStore;
}
