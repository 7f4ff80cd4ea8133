import { Injectable } from '@nestjs/common';
import { JobName } from '@isola/contracts';
import { CredentialBroker, type CredentialRequestContext, type CredentialScope } from '@isola/credentials';
import { ObjectStoreFactory, type ObjectStore, type StorageTargetRef } from '@isola/tenant-storage';

export type StoreSource = () => Promise<ObjectStore>;

/**
 * The migration's only way to storage: per media, a `migrate` credential for each side (DECISIONS.md:
 * read on the old target, write on the new one; the new object is HEAD-checked with a `read` one on
 * the new target), and `delete` credentials for the old copies after the grace period. Each is a
 * function asked again before every request: the broker caches credentials and renews them.
 */
@Injectable()
export class MigrationStores {
  constructor(
    private readonly broker: CredentialBroker,
    private readonly stores: ObjectStoreFactory,
  ) {}

  read(target: StorageTargetRef, mediaId: string, context: CredentialRequestContext): StoreSource {
    return this.store(target, { purpose: 'migrate', side: 'read', mediaId }, context);
  }

  write(target: StorageTargetRef, mediaId: string, context: CredentialRequestContext): StoreSource {
    return this.store(target, { purpose: 'migrate', side: 'write', mediaId }, context);
  }

  delete(target: StorageTargetRef, mediaId: string, context: CredentialRequestContext): StoreSource {
    return this.store(target, { purpose: 'delete', mediaId }, context);
  }

  private store(target: StorageTargetRef, scope: CredentialScope, context: CredentialRequestContext): StoreSource {
    return async () =>
      this.stores.forCredentials(
        target,
        await this.broker.getCredentials(target, scope, { actor: `job:${JobName.StorageMigrate}`, ...context }),
      );
  }
}
