import type { Clock } from '@isola/runtime';
import {
  tenantMediaPrefix,
  type DispositionType,
  type ObjectStore,
  type ObjectStoreFactory,
  type StorageTargetRef,
} from '@isola/tenant-storage';

import type { CredentialBroker, CredentialRequestContext, ScopedCredentials } from './credential-broker.port.js';
import { DEFAULT_LINK_LIFETIME_SECONDS, linkLifetimeSeconds } from './link-lifetime.js';

export interface LinkSignerOptions {
  /** Configured link lifetime (default 15 min); give the broker the same value. */
  linkLifetimeSeconds?: number;
}

export interface LinkRequest {
  /** Must lie inside the tenant's media prefix. */
  key: string;
  /** Download name (`response-content-disposition`); absent → the browser's own choice. */
  filename?: string;
  disposition?: DispositionType;
}

export interface SignLinkOptions {
  /** The tenant's own link lifetime (Tenant.linkLifetimeSeconds); capped by the signer's configured one. */
  lifetimeSeconds?: number;
}

export interface SignedLink {
  key: string;
  url: string;
  expiresAt: Date;
}

export interface SignedLinks {
  links: SignedLink[];
  /** The cached `link` credential that signed them: the one an audit row names. */
  credentials: ScopedCredentials;
}

/**
 * Presigned GET links for a tenant's media: one cached `link` credential per target (from the
 * broker), one signer per credential (from the store factory), one URL per object, each living
 * `min(configured, credential remaining − 1 min)`. The link credential never leaves the server.
 */
export class LinkSigner {
  private readonly lifetimeSeconds: number;
  /** Target prefix → its media prefix (`<prefix>/media/`), computed once per prefix. */
  private readonly mediaPrefixes = new Map<string, string>();

  constructor(
    private readonly broker: CredentialBroker,
    private readonly stores: ObjectStoreFactory,
    private readonly clock: Clock,
    options: LinkSignerOptions = {},
  ) {
    this.lifetimeSeconds = options.linkLifetimeSeconds ?? DEFAULT_LINK_LIFETIME_SECONDS;
  }

  async signLink(
    target: StorageTargetRef,
    request: LinkRequest,
    context: CredentialRequestContext = {},
    options: SignLinkOptions = {},
  ): Promise<SignedLink> {
    this.checkKey(target, request.key);
    const { store, expiresInSeconds } = await this.signingFor(target, context, options);
    return sign(store, request, expiresInSeconds);
  }

  /** Several links of one target with one credential lookup (a media's source and renditions). */
  async signLinks(
    target: StorageTargetRef,
    requests: readonly LinkRequest[],
    context: CredentialRequestContext = {},
    options: SignLinkOptions = {},
  ): Promise<SignedLink[]> {
    return (await this.signLinksWithCredentials(target, requests, context, options)).links;
  }

  /**
   * `signLinks`, also returning the credential that signed: a caller that names it (the audit row)
   * needs no second broker lookup, which could return a refreshed credential, not the signing one.
   */
  async signLinksWithCredentials(
    target: StorageTargetRef,
    requests: readonly LinkRequest[],
    context: CredentialRequestContext = {},
    options: SignLinkOptions = {},
  ): Promise<SignedLinks> {
    for (const request of requests) this.checkKey(target, request.key);
    const { store, expiresInSeconds, credentials } = await this.signingFor(target, context, options);
    const links = await Promise.all(requests.map((request) => sign(store, request, expiresInSeconds)));
    return { links, credentials };
  }

  private async signingFor(
    target: StorageTargetRef,
    context: CredentialRequestContext,
    options: SignLinkOptions,
  ): Promise<{ store: ObjectStore; expiresInSeconds: number; credentials: ScopedCredentials }> {
    const credentials = await this.broker.getCredentials(target, { purpose: 'link' }, context);
    // a tenant may choose shorter links; never longer than the configured lifetime the broker refreshes for
    const configured = Math.min(options.lifetimeSeconds ?? this.lifetimeSeconds, this.lifetimeSeconds);
    const expiresInSeconds = linkLifetimeSeconds(this.clock.now(), credentials.expiresAt, configured);
    if (!(expiresInSeconds >= 1)) throw new RangeError('The link credential expires within a minute: nothing can be signed with it');
    return { store: this.stores.forCredentials(target, credentials), expiresInSeconds, credentials };
  }

  /**
   * Links are for keys strictly inside the tenant's media prefix (`isKeyInTenantMediaPrefix`; the
   * store itself refuses unsafe keys and keys outside the target's prefix).
   */
  private checkKey(target: StorageTargetRef, key: string): void {
    let mediaPrefix = this.mediaPrefixes.get(target.prefix);
    if (mediaPrefix === undefined) {
      mediaPrefix = tenantMediaPrefix(target.prefix);
      if (this.mediaPrefixes.size >= 1_000) this.mediaPrefixes.clear();
      this.mediaPrefixes.set(target.prefix, mediaPrefix);
    }
    if (!(key.length > mediaPrefix.length && key.startsWith(mediaPrefix))) {
      throw new RangeError(`Links are for keys inside the tenant's media prefix, not ${JSON.stringify(key)}`);
    }
  }
}

async function sign(store: ObjectStore, request: LinkRequest, expiresInSeconds: number): Promise<SignedLink> {
  const { key, filename, disposition } = request;
  const link = await store.presignGet({ key, expiresInSeconds, filename, disposition });
  return { key, url: link.url, expiresAt: link.expiresAt };
}
