import { Injectable } from '@nestjs/common';
import { JobName } from '@isola/contracts';
import { CredentialBroker, type CredentialRequestContext, type CredentialScopeOf, type ScopedCredentials } from '@isola/credentials';
import type { StorageTargetRef } from '@isola/tenant-storage';
import { TranscodeGrantsRepository, type LiveGrant } from './transcode-grants.repository.js';

export interface TranscodeAccess {
  grant: LiveGrant;
  scope: CredentialScopeOf<'transcode'>;
  credentials: ScopedCredentials;
}

/**
 * The worker's only way to transcode credentials: it presents the media's live, unconsumed grant
 * (checked in the database on every call, so a consumed or expired grant stops renewals too), and
 * the credential's session policy carries the grant's expiry (`aws:CurrentTime` < expiresAt), so S3
 * itself refuses it afterwards. GetObject on the one source key; PutObject + multipart on the media's
 * renditions prefix (DECISIONS.md).
 */
@Injectable()
export class TranscodeCredentials {
  constructor(
    private readonly grants: TranscodeGrantsRepository,
    private readonly broker: CredentialBroker,
  ) {}

  /** Throws TranscodeException(TRANSCODE_GRANT_EXPIRED) without a live grant; StorageError when STS refuses. */
  async forMedia(
    media: { id: string; tenantId: string; objectKey: string },
    target: StorageTargetRef,
    context: CredentialRequestContext = {},
  ): Promise<TranscodeAccess> {
    const grant = await this.grants.claim(media.id, media.tenantId);
    const scope: CredentialScopeOf<'transcode'> = {
      purpose: 'transcode',
      mediaId: media.id,
      sourceKey: media.objectKey,
      grantExpiresAt: grant.expiresAt,
    };
    const credentials = await this.broker.getCredentials(target, scope, { actor: `job:${JobName.MediaTranscode}`, ...context });
    return { grant, scope, credentials };
  }
}
