import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  JobName,
  mediaListQuerySchema,
  mediaPatchSchema,
  type LinkDto,
  type MediaDto,
  type MediaLinksResponse,
  type MediaListResponse,
  type RenditionKind,
} from '@isola/contracts';
import { CredentialBroker, LinkSigner, type CredentialRequestContext, type LinkRequest, type ScopedCredentials } from '@isola/credentials';
import { Clock } from '@isola/runtime';
import { ObjectStoreFactory, isStorageError, storageTargetRefFrom, type StorageTargetRef } from '@isola/tenant-storage';
import type { Actor } from '../../common/auth/actor.js';
import { parseBody } from '../../common/validation.js';
import { AuditService } from '../audit/audit.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { UPLOADS_OPTIONS, type UploadsOptions } from '../uploads/uploads.config.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { toTargetRef } from '../storage/storage-targets.repository.js';
import { StorageErrorMapper, targetRevokedException } from '../uploads/storage-error.mapper.js';
import { displayFilename } from '../uploads/upload-rules.js';
import { decodeMediaCursor, encodeMediaCursor } from './media-cursor.js';
import { hasStoredSource, mayDeleteObjects, renditionFilename } from './media-rules.js';
import { MediaException } from './media.exception.js';
import { MediaRepository, type MediaForStorage } from './media.repository.js';
import { toMediaDto } from './to-media-dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The media library of the caller's tenant: list, read, rename, delete, and presigned links. */
@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);

  constructor(
    private readonly media: MediaRepository,
    private readonly broker: CredentialBroker,
    private readonly links: LinkSigner,
    private readonly stores: ObjectStoreFactory,
    private readonly storageErrors: StorageErrorMapper,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    @Inject(UPLOADS_OPTIONS) private readonly options: UploadsOptions,
  ) {}

  async list(actor: Actor, query: unknown): Promise<MediaListResponse> {
    const tenantId = tenantOf(actor).id;
    const input = parseBody(mediaListQuerySchema, query);
    const after = input.cursor === undefined || input.cursor === '' ? undefined : decodeMediaCursor(input.cursor);
    if (input.cursor !== undefined && input.cursor !== '' && after === undefined) throw MediaException.invalidCursor();
    const rows = await this.media.list({
      tenantId,
      ...(input.status === undefined ? {} : { status: input.status }),
      ...(input.type === undefined ? {} : { kind: input.type }),
      ...(input.q === undefined ? {} : { q: input.q }),
      ...(after === undefined ? {} : { after }),
      take: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toMediaDto),
      nextCursor: rows.length > input.limit && last !== undefined ? encodeMediaCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<MediaDto> {
    const row = UUID.test(id) ? await this.media.find(tenantOf(actor).id, id) : null;
    if (row === null) throw MediaException.notFound();
    return toMediaDto(row);
  }

  async rename(actor: Actor, id: string, body: unknown, origin: RequestOrigin): Promise<MediaDto> {
    const tenant = tenantOf(actor);
    const { filename: requested } = parseBody(mediaPatchSchema, body);
    const before = UUID.test(id) ? await this.media.find(tenant.id, id) : null;
    if (before === null) throw MediaException.notFound();
    // The display name follows the upload rule; the object key keeps the name it was uploaded with.
    const filename = displayFilename(requested);
    const row = await this.media.rename(tenant.id, id, filename);
    if (row === null) throw MediaException.notFound();
    await this.audit.record({
      tenantId: tenant.id,
      action: 'media.rename',
      actor,
      storageTargetId: row.storageTargetId,
      ...auditOrigin(origin),
      details: { mediaId: id, from: before.filename, to: filename },
    });
    return toMediaDto(row);
  }

  /**
   * Soft-deletes a media. Its objects (source and renditions) are removed with `delete` credentials
   * where Isola may delete (hosted always; a studio's own bucket only when it opted in); an open
   * upload is aborted. Storage failures do not block the deletion: the audit row says what was left.
   */
  async remove(actor: Actor, id: string, origin: RequestOrigin): Promise<void> {
    const tenant = tenantOf(actor);
    const media = UUID.test(id) ? await this.media.findForStorage(tenant.id, id) : null;
    if (media === null) throw MediaException.notFound();
    // Nothing that needs the bucket while the studio has revoked access (issue 6): not even a delete.
    if (media.storageTarget.status === 'revoked' && needsStorageToDelete(media)) throw targetRevokedException();
    const target = toTargetRef(media.storageTarget);
    const context = credentialContext(actor, origin);
    const keys = [media.objectKey, ...media.renditions.map((r) => r.objectKey)];

    const uploadAborted = media.multipartUpload?.status === 'open' ? await this.abortOpenUpload(media, target, context) : undefined;
    const outcome = await this.deleteObjects(media, target, keys, context);

    const deleted = await this.media.transaction(async (tx) => {
      if (!(await this.media.markDeleted(tx, tenant.id, id, this.clock.now()))) return false;
      await this.audit.record(
        {
          tenantId: tenant.id,
          action: 'media.delete',
          actor,
          purpose: outcome.credentials === undefined ? null : 'delete',
          sessionName: outcome.credentials?.sessionName ?? null,
          storageTargetId: target.id,
          objectKeys: keys,
          expiresAt: outcome.credentials?.expiresAt ?? null,
          ...auditOrigin(origin),
          details: {
            mediaId: id,
            objectsDeleted: outcome.deleted,
            ...(outcome.retainedBecause === undefined ? {} : { objectsRetainedBecause: outcome.retainedBecause }),
            ...(uploadAborted === undefined ? {} : { uploadAborted: uploadAborted.aborted }),
            ...(uploadAborted?.sessionName === undefined ? {} : { uploadSessionName: uploadAborted.sessionName }),
          },
        },
        tx,
      );
      return true;
    });
    if (!deleted) throw MediaException.notFound();
  }

  /**
   * The studio admin's "re-process" (issue 5): a transcode grant is one-time, so running the worker
   * again needs a fresh one. In one transaction: a new grant, the media back to `uploaded`, the job
   * in the outbox, and the audit row.
   */
  async reprocess(actor: Actor, id: string, origin: RequestOrigin): Promise<MediaDto> {
    const tenant = tenantOf(actor);
    const media = UUID.test(id) ? await this.media.findForStorage(tenant.id, id) : null;
    if (media === null) throw MediaException.notFound();
    if (media.storageTarget.status === 'revoked') throw targetRevokedException();
    if (media.status !== 'ready' && media.status !== 'failed') throw MediaException.notReprocessable(media.status);
    if (media.sha256Verified === null && media.failureReason === 'SIZE_MISMATCH')
      throw MediaException.notReprocessable('without a stored source');
    const grantExpiresAt = new Date(this.clock.now().getTime() + this.options.transcodeGrantSeconds * 1000);
    await this.media.transaction(async (tx) => {
      if (!(await this.media.reopenForTranscode(tx, tenant.id, media.id))) throw MediaException.notReprocessable('changing');
      const grant = await this.media.createTranscodeGrant(tx, {
        mediaId: media.id,
        tenantId: tenant.id,
        expiresAt: grantExpiresAt,
        issuedBy: actor.userId,
        reason: 'media.reprocess',
      });
      await this.jobs.enqueue(
        { name: JobName.MediaTranscode, payload: { mediaId: media.id } },
        { tx, correlationId: origin.correlationId },
      );
      await this.audit.record(
        {
          tenantId: tenant.id,
          action: 'media.reprocess',
          actor,
          storageTargetId: media.storageTargetId,
          expiresAt: grantExpiresAt,
          ...auditOrigin(origin),
          details: { mediaId: media.id, grantId: grant.id, previousStatus: media.status },
        },
        tx,
      );
    });
    return this.get(actor, id);
  }

  /**
   * Presigned GETs for the source (download, with its filename) and each rendition (inline).
   * `support` is set when platform staff call through a tenant admin's live support grant (hosted
   * tenants only — SupportAccessPolicy decided): links then never outlive the grant, and the audit
   * row names it.
   */
  async linksFor(
    actor: Actor,
    id: string,
    origin: RequestOrigin,
    support?: { tenantId: string; grantId: string; grantExpiresAt: Date },
  ): Promise<MediaLinksResponse> {
    const tenant = support ? { id: support.tenantId } : tenantOf(actor);
    const media = UUID.test(id) ? await this.media.findForLinks(tenant.id, id) : null;
    if (media === null) throw MediaException.notFound();
    // staff never reach an isolated target, even if the tenant's active one is hosted
    if (support && media.storageTarget.mode !== 'hosted') throw MediaException.notFound();
    if (!hasStoredSource(media.status)) throw MediaException.notReady(media.status);
    if (media.storageTarget.status === 'revoked') throw targetRevokedException();

    // The media's own target: it keeps pointing there when the tenant activates another one.
    const target = storageTargetRefFrom(media.storageTarget);
    const context = credentialContext(actor, origin);
    const requests: LinkRequest[] = [
      { key: media.objectKey, filename: media.filename, disposition: 'attachment' },
      ...media.renditions.map((r) => ({
        key: r.objectKey,
        filename: renditionFilename(media.filename, r.kind, r.objectKey),
        disposition: 'inline' as const,
      })),
    ];
    const grantLeft = support ? Math.floor((support.grantExpiresAt.getTime() - this.clock.now().getTime()) / 1000) : Infinity;
    const lifetimeSeconds = Math.min(media.linkLifetimeSeconds, grantLeft);
    if (lifetimeSeconds < 1) throw MediaException.notFound();
    // one credential lookup: the audit row names the very credential that signed the links
    const { credentials, links: signed } = await this.storageErrors.guard(target, { purpose: 'link' }, context, () =>
      this.links.signLinksWithCredentials(target, requests, context, { lifetimeSeconds }),
    );

    const toLink = (i: number): LinkDto => ({ url: signed[i]!.url, expiresAt: signed[i]!.expiresAt.toISOString() });
    const renditions: Partial<Record<RenditionKind, LinkDto>> = {};
    media.renditions.forEach((r, i) => {
      renditions[r.kind] = toLink(i + 1);
    });
    const expiresAt = new Date(Math.max(...signed.map((link) => link.expiresAt.getTime())));
    await this.audit.record({
      tenantId: tenant.id,
      action: 'media.links',
      actor,
      ...(support ? { actorKind: 'staff' as const } : {}),
      purpose: 'link',
      sessionName: credentials.sessionName,
      storageTargetId: target.id,
      objectKeys: signed.map((link) => link.key),
      expiresAt,
      ...auditOrigin(origin),
      details: {
        mediaId: media.id,
        renditions: media.renditions.map((r) => r.kind),
        // what the links expose, recorded now: usage reports it even after a migration renamed the keys
        bytesExposed: Number(media.sizeBytes + media.renditions.reduce((n, r) => n + r.sizeBytes, 0n)),
        credentialExpiresAt: credentials.expiresAt.toISOString(),
        ...(support ? { supportGrantId: support.grantId } : {}),
      },
    });
    return { source: toLink(0), renditions };
  }

  // ------------------------------------------------------------------------------------------ internals

  private async deleteObjects(
    media: MediaForStorage,
    target: StorageTargetRef,
    keys: string[],
    context: CredentialRequestContext,
  ): Promise<{ deleted: boolean; retainedBecause?: string; credentials?: ScopedCredentials }> {
    if (!mayDeleteObjects(target.mode, media.tenant.deleteObjectsEnabled))
      return { deleted: false, retainedBecause: 'TENANT_KEEPS_OBJECTS' };
    if (media.storageTarget.status === 'revoked') return { deleted: false, retainedBecause: 'STORAGE_ACCESS_REVOKED' };
    let credentials: ScopedCredentials | undefined;
    try {
      credentials = await this.broker.getCredentials(target, { purpose: 'delete', mediaId: media.id }, context);
      const store = this.stores.forCredentials(target, credentials);
      for (const key of keys) await store.deleteObject(key);
      return { deleted: true, credentials };
    } catch (error) {
      if (!isStorageError(error)) throw error;
      this.logger.warn({ msg: 'objects of a deleted media were left in storage', mediaId: media.id, code: error.code });
      return { deleted: false, retainedBecause: error.code, ...(credentials === undefined ? {} : { credentials }) };
    }
  }

  /** Aborts the media's open multipart upload; the `upload` credential used is named in the delete's audit row. */
  private async abortOpenUpload(
    media: MediaForStorage,
    target: StorageTargetRef,
    context: CredentialRequestContext,
  ): Promise<{ aborted: boolean; sessionName?: string }> {
    const upload = media.multipartUpload;
    if (upload === null || media.storageTarget.status === 'revoked') return { aborted: false };
    let sessionName: string | undefined;
    try {
      const credentials = await this.broker.getCredentials(
        target,
        { purpose: 'upload', mediaId: media.id, sourceKey: upload.objectKey },
        context,
      );
      sessionName = credentials.sessionName;
      await this.stores.forCredentials(target, credentials).abortMultipartUpload({ key: upload.objectKey, uploadId: upload.uploadId });
      return { aborted: true, sessionName };
    } catch (error) {
      if (!isStorageError(error)) throw error;
      return sessionName === undefined ? { aborted: false } : { aborted: false, sessionName };
    }
  }
}

/** Deleting touches the bucket: objects Isola may delete, or an open multipart upload to abort. */
function needsStorageToDelete(media: MediaForStorage): boolean {
  return media.multipartUpload?.status === 'open' || mayDeleteObjects(media.storageTarget.mode, media.tenant.deleteObjectsEnabled);
}

function tenantOf(actor: Actor): NonNullable<Actor['tenant']> {
  // @Access('tenant-member') guarantees a tenant; this keeps the type honest.
  if (actor.tenant === null) throw MediaException.notFound();
  return actor.tenant;
}

function credentialContext(actor: Actor, origin: RequestOrigin): CredentialRequestContext {
  return {
    ...(actor.tenant === null ? {} : { tenantSlug: actor.tenant.slug }),
    actor: `user:${actor.userId}`,
    ...(origin.correlationId === null ? {} : { correlationId: origin.correlationId }),
  };
}

function auditOrigin(origin: RequestOrigin): { ip: string; userAgent: string | null; correlationId: string | null } {
  return { ip: origin.ip, userAgent: origin.userAgent, correlationId: origin.correlationId };
}
