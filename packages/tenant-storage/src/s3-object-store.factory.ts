import { ObjectStoreFactory } from './object-store-factory.port.js';
import type { ObjectStore } from './object-store.port.js';
import { S3ObjectStore, type NowSource } from './s3-object-store.adapter.js';
import { defaultForcePathStyle } from './s3-location.js';
import type { StorageTargetRef } from './storage-target.js';
import { cachedTargetConfigHash } from './cached-target-config-hash.js';
import { createSharedAgents, type SharedAgents } from './shared-agents.js';
import type { TemporaryCredentials } from './temporary-credentials.js';

export interface S3ObjectStoreFactoryOptions {
  /** Signing time. Default: the system clock. */
  clock?: NowSource;
  /** Path-style addressing per target. Default: S3-compatible → path-style, AWS → virtual-hosted. */
  forcePathStyle?: (target: StorageTargetRef) => boolean;
  /** SDK attempts per S3 call. Default 3. */
  maxAttempts?: number;
  /** Stores kept (one per live credential); expired ones go first, then the oldest. Default 1,000. */
  maxStores?: number;
}

const SYSTEM_CLOCK: NowSource = { now: () => new Date() };

/**
 * One `S3ObjectStore` per (target config hash, credential access key): a cached credential gets one
 * signer (and at most one SDK client) for its whole life. The clients share one keep-alive connection
 * pool (`createSharedAgents`): a new credential does not mean new connections. No module-level
 * clients: each API/worker instance owns its factory (a Nest provider), and `destroy()` closes every
 * client it made and the pool.
 */
export class S3ObjectStoreFactory extends ObjectStoreFactory {
  private readonly stores = new Map<string, S3ObjectStore>();
  private readonly clock: NowSource;
  private readonly maxStores: number;
  private readonly agents: SharedAgents = createSharedAgents();

  constructor(private readonly options: S3ObjectStoreFactoryOptions = {}) {
    super();
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.maxStores = options.maxStores ?? 1_000;
    if (!(this.maxStores >= 1)) throw new RangeError('maxStores must be ≥ 1');
  }

  forCredentials(target: StorageTargetRef, credentials: TemporaryCredentials): ObjectStore {
    const key = `${cachedTargetConfigHash(target)}:${credentials.accessKeyId}`;
    const cached = this.stores.get(key);
    if (cached !== undefined) return cached;
    const store = new S3ObjectStore(target, credentials, {
      clock: this.clock,
      forcePathStyle: (this.options.forcePathStyle ?? defaultForcePathStyle)(target),
      agents: this.agents,
      ...(this.options.maxAttempts === undefined ? {} : { maxAttempts: this.options.maxAttempts }),
    });
    this.stores.set(key, store);
    if (this.stores.size > this.maxStores) this.evict();
    return store;
  }

  /** Sockets open in the shared pool, busy or idle (for tests and metrics). */
  get openConnections(): number {
    let count = 0;
    for (const agent of [this.agents.http, this.agents.https]) {
      for (const sockets of [...Object.values(agent.sockets), ...Object.values(agent.freeSockets)]) count += sockets?.length ?? 0;
    }
    return count;
  }

  /** Stores currently kept (for tests and metrics). */
  get size(): number {
    return this.stores.size;
  }

  destroy(): void {
    for (const store of this.stores.values()) store.destroy();
    this.stores.clear();
    this.agents.close();
  }

  private evict(): void {
    const now = this.clock.now().getTime();
    for (const [key, store] of this.stores) {
      if (store.credentialExpiresAt.getTime() <= now) this.drop(key, store);
    }
    for (const [key, store] of this.stores) {
      if (this.stores.size <= this.maxStores) break;
      this.drop(key, store);
    }
  }

  private drop(key: string, store: S3ObjectStore): void {
    this.stores.delete(key);
    store.destroy();
  }
}
