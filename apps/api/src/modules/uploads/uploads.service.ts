import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import {
  JobName,
  MAX_SIGN_BATCH_PARTS,
  MAX_UPLOAD_FILENAME_CHARS,
  completeMultipartUploadRequestSchema,
  createMultipartUploadRequestSchema,
  type CompleteMultipartUploadResponse,
  type CreateMultipartUploadResponse,
  type ListPartsResponse,
  type SignPartResponse,
  type SignPartsResponse,
} from '@isola/contracts';
import { CredentialBroker, type CredentialRequestContext, type CredentialScope, type ScopedCredentials } from '@isola/credentials';
import { Clock } from '@isola/runtime';
import {
  ObjectStoreFactory,
  SOURCE_TAG,
  StorageErrorCode,
  isStorageError,
  sourceKey,
  type ObjectHead,
  type ObjectStore,
  type StorageTargetRef,
} from '@isola/tenant-storage';
import type { Actor } from '../../common/auth/actor.js';
import { parseBody } from '../../common/validation.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { StorageTargetsRepository, toTargetRef } from '../storage/storage-targets.repository.js';
import { guessMediaKind } from './guess-media-kind.js';
import { StorageErrorMapper, targetRevokedException } from './storage-error.mapper.js';
import {
  checkCompletion,
  checkUploadSize,
  displayFilename,
  parseDeclaredSize,
  parsePartNumber,
  parsePartNumberList,
  uploadLimitBytes,
} from './upload-rules.js';
import { UPLOADS_OPTIONS, type UploadsOptions } from './uploads.config.js';
import { UploadsException } from './uploads.exception.js';
import { UploadsRepository, type Tx, type UploadWithTarget } from './uploads.repository.js';

const keyQuerySchema = z.object({ key: z.string({ error: 'is required' }).min(1, 'is required').max(2048) });
const signPartQuerySchema = keyQuerySchema.extend({
  /** Base64 MD5 of the part (16 bytes): signed in as Content-MD5 so the store refuses corrupted bytes. */
  md5: z
    .string()
    .regex(/^[A-Za-z0-9+/]{22}==$/, 'must be the base64 MD5 digest of the part')
    .optional(),
});

const signPartsQuerySchema = keyQuerySchema.extend({
  /** Comma-separated part numbers (checked by parsePartNumberList). */
  partNumbers: z.string({ error: 'is required' }).max(8 * MAX_SIGN_BATCH_PARTS),
});

/** Who is calling, for the broker (role session name, logs) and the audit row. */
interface CallContext {
  actor: Actor;
  tenant: NonNullable<Actor['tenant']>;
  origin: RequestOrigin;
  credentials: CredentialRequestContext;
}

/**
 * Direct-to-bucket multipart uploads (Uppy's Companion protocol). The API never sees media bytes:
 * it checks the request against the tenant's limits and its own records, mints `upload`
 * credentials through the broker, and hands out one presigned part URL per request. Every route
 * writes one audit row naming the credential it used.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly targets: StorageTargetsRepository,
    private readonly broker: CredentialBroker,
    private readonly stores: ObjectStoreFactory,
    private readonly storageErrors: StorageErrorMapper,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    @Inject(UPLOADS_OPTIONS) private readonly options: UploadsOptions,
  ) {}

  // ------------------------------------------------------------------------------------------ create

  async create(actor: Actor, body: unknown, origin: RequestOrigin): Promise<CreateMultipartUploadResponse> {
    const call = this.context(actor, origin);
    // Everything the request says is checked before anything is written anywhere.
    const input = parseBody(createMultipartUploadRequestSchema, body);
    if (input.filename.length > MAX_UPLOAD_FILENAME_CHARS) throw UploadsException.filenameTooLong(MAX_UPLOAD_FILENAME_CHARS);
    const declaredSize = parseDeclaredSize(input.metadata['size']);

    const row = await this.targets.activeTarget(call.tenant.id);
    if (row === null) throw UploadsException.noActiveTarget();
    if (row.status === 'revoked') throw targetRevokedException();
    if (row.status !== 'active') throw UploadsException.targetNotActive(row.status);
    checkUploadSize(
      declaredSize,
      uploadLimitBytes(await this.uploads.tenantMaxUploadBytes(call.tenant.id), this.options.defaultMaxUploadBytes),
    );

    const target = toTargetRef(row);
    const mediaId = randomUUID();
    const filename = displayFilename(input.filename);
    const key = sourceKey(target.prefix, mediaId, input.filename);
    const scope: CredentialScope = { purpose: 'upload', mediaId, sourceKey: key };

    const { credentials, store, uploadId } = await this.storageErrors.guard(target, scope, call.credentials, async () => {
      const credentials = await this.broker.getCredentials(target, scope, call.credentials);
      const store = this.stores.forCredentials(target, credentials);
      const { uploadId } = await store.createMultipartUpload({ key, contentType: input.type });
      return { credentials, store, uploadId };
    });

    try {
      await this.uploads.transaction(async (tx) => {
        await this.uploads.createUpload(tx, {
          mediaId,
          tenantId: call.tenant.id,
          userId: actor.userId,
          storageTargetId: target.id,
          uploadId,
          objectKey: key,
          filename,
          contentType: input.type,
          kind: guessMediaKind(input.type, filename),
          declaredSize,
          sha256: input.metadata.sha256 ?? null,
        });
        await this.audit.record(
          this.auditEntry(call, 'upload.create', target, credentials, {
            expiresAt: credentials.expiresAt,
            details: { mediaId, uploadId, filename, declaredBytes: declaredSize.toString(), contentType: input.type },
          }),
          tx,
        );
      });
    } catch (error) {
      // The database refused the records: leave no multipart upload behind in the bucket either.
      await store.abortMultipartUpload({ key, uploadId }).catch((abortError: unknown) => {
        this.logger.warn({ msg: 'could not abort an unrecorded multipart upload', mediaId, error: String(abortError) });
      });
      throw error;
    }
    return { uploadId, key, mediaId };
  }

  // ------------------------------------------------------------------------------------------ sign part

  async signPart(
    actor: Actor,
    uploadId: string,
    partNumberParam: string,
    query: unknown,
    origin: RequestOrigin,
  ): Promise<SignPartResponse> {
    const call = this.context(actor, origin);
    const partNumber = parsePartNumber(partNumberParam);
    const { key, md5 } = parseBody(signPartQuerySchema, query);
    const upload = await this.openUpload(call, uploadId, key);
    const target = this.reachableTarget(upload);
    const scope = uploadScope(upload);

    const { credentials, signed } = await this.storageErrors.guard(target, scope, call.credentials, async () => {
      const credentials = await this.broker.getCredentials(target, scope, call.credentials);
      const signed = await this.stores.forCredentials(target, credentials).presignUploadPart({
        key: upload.objectKey,
        uploadId: upload.uploadId,
        partNumber,
        ...(md5 === undefined ? {} : { contentMd5: md5 }),
      });
      return { credentials, signed };
    });
    await this.audit.record(
      this.auditEntry(call, 'upload.sign_part', target, credentials, {
        expiresAt: signed.expiresAt,
        objectKeys: [upload.objectKey],
        details: { mediaId: upload.mediaId, uploadId: upload.uploadId, partNumber, contentMd5: md5 !== undefined },
      }),
    );
    return { url: signed.url, headers: { ...signed.headers }, expiresAt: signed.expiresAt.toISOString() };
  }

  /**
   * Several part URLs in one request (`partNumbers=1,2,3`), so a client signs ahead while its parts
   * upload: one upload lookup, one credential, one audit row listing the part numbers.
   */
  async signParts(actor: Actor, uploadId: string, query: unknown, origin: RequestOrigin): Promise<SignPartsResponse> {
    const call = this.context(actor, origin);
    const { key, partNumbers: list } = parseBody(signPartsQuerySchema, query);
    const partNumbers = parsePartNumberList(list, MAX_SIGN_BATCH_PARTS);
    const upload = await this.openUpload(call, uploadId, key);
    const target = this.reachableTarget(upload);
    const scope = uploadScope(upload);

    const { credentials, signed } = await this.storageErrors.guard(target, scope, call.credentials, async () => {
      const credentials = await this.broker.getCredentials(target, scope, call.credentials);
      const store = this.stores.forCredentials(target, credentials);
      const signed = await Promise.all(
        partNumbers.map((partNumber) => store.presignUploadPart({ key: upload.objectKey, uploadId: upload.uploadId, partNumber })),
      );
      return { credentials, signed };
    });
    const expiresAt = new Date(Math.min(...signed.map((s) => s.expiresAt.getTime())));
    await this.audit.record(
      this.auditEntry(call, 'upload.sign_parts', target, credentials, {
        expiresAt,
        objectKeys: [upload.objectKey],
        details: { mediaId: upload.mediaId, uploadId: upload.uploadId, partNumbers: partNumbers.join(','), parts: partNumbers.length },
      }),
    );
    const presignedUrls: Record<string, string> = {};
    partNumbers.forEach((partNumber, i) => {
      presignedUrls[String(partNumber)] = signed[i]!.url;
    });
    return { presignedUrls, headers: { ...signed[0]!.headers }, expiresAt: expiresAt.toISOString() };
  }

  // ------------------------------------------------------------------------------------------ list parts

  async listParts(actor: Actor, uploadId: string, query: unknown, origin: RequestOrigin): Promise<ListPartsResponse> {
    const call = this.context(actor, origin);
    const { key } = parseBody(keyQuerySchema, query);
    const upload = await this.openUpload(call, uploadId, key);
    const target = this.reachableTarget(upload);
    const { credentials, result: parts } = await this.withUploadStore(call, upload, target, (store) => store.listParts(ref(upload)));
    await this.audit.record(
      this.auditEntry(call, 'upload.list_parts', target, credentials, {
        expiresAt: credentials.expiresAt,
        details: { mediaId: upload.mediaId, uploadId: upload.uploadId, parts: parts.length },
      }),
    );
    return parts.map((part) => ({ PartNumber: part.partNumber, Size: part.size, ETag: part.etag }));
  }

  // ------------------------------------------------------------------------------------------ complete

  async complete(
    actor: Actor,
    uploadId: string,
    query: unknown,
    body: unknown,
    origin: RequestOrigin,
  ): Promise<CompleteMultipartUploadResponse> {
    const call = this.context(actor, origin);
    const { key } = parseBody(keyQuerySchema, query);
    const input = parseBody(completeMultipartUploadRequestSchema, body);
    const requested = input.parts.map((part) => ({ partNumber: parsePartNumber(part.PartNumber), etag: part.ETag }));
    const upload = await this.openUpload(call, uploadId, key);
    const target = this.reachableTarget(upload);

    const { credentials, result: stored } = await this.withUploadStore(call, upload, target, (store) => store.listParts(ref(upload)));
    const check = checkCompletion(requested, stored, upload.declaredSize);
    if (!check.ok) {
      // The bytes are not what was declared: nothing is assembled, the parts are discarded.
      await this.withUploadStore(call, upload, target, (store) => store.abortMultipartUpload(ref(upload))).catch((error: unknown) => {
        this.logger.warn({ msg: 'could not abort a mismatched upload', mediaId: upload.mediaId, error: String(error) });
      });
      await this.fail(call, upload, target, credentials, 'aborted', upload.declaredSize, check.totalBytes);
      throw UploadsException.sizeMismatch(upload.declaredSize, check.totalBytes);
    }

    await this.withUploadStore(call, upload, target, (store) =>
      store.completeMultipartUpload({ ...ref(upload), parts: check.parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })) }),
    );
    const sourceTagged = await this.tagSource(call, upload, target);
    // RGW answers CompleteMultipartUpload with an empty ETag; HeadObject has it, and the real size.
    const { head, credentials: headCredentials } = await this.headSource(call, upload, target);
    const storedBytes = head === undefined ? check.totalBytes : BigInt(head.size);
    const verifyAudit = (tx: Tx) =>
      headCredentials === undefined
        ? Promise.resolve()
        : this.audit.record(
            {
              ...this.auditEntry(call, 'upload.verify', target, headCredentials, {
                expiresAt: headCredentials.expiresAt,
                objectKeys: [upload.objectKey],
                details: { mediaId: upload.mediaId, operation: 'HeadObject', ok: head !== undefined },
              }),
              purpose: 'link',
            },
            tx,
          );
    if (storedBytes !== upload.declaredSize) {
      await this.fail(call, upload, target, credentials, 'completed', upload.declaredSize, storedBytes, verifyAudit);
      throw UploadsException.sizeMismatch(upload.declaredSize, storedBytes);
    }

    const grantExpiresAt = new Date(this.clock.now().getTime() + this.options.transcodeGrantSeconds * 1000);
    await this.uploads.transaction(async (tx) => {
      if (!(await this.uploads.closeUpload(tx, upload.id, 'completed'))) throw UploadsException.alreadyCompleted();
      await this.uploads.markUploaded(tx, upload.mediaId, storedBytes);
      await this.uploads.createTranscodeGrant(tx, {
        mediaId: upload.mediaId,
        tenantId: upload.tenantId,
        expiresAt: grantExpiresAt,
        reason: 'upload.complete',
      });
      await this.jobs.enqueue(
        { name: JobName.MediaTranscode, payload: { mediaId: upload.mediaId } },
        { tx, correlationId: call.origin.correlationId },
      );
      await verifyAudit(tx);
      await this.audit.record(
        this.auditEntry(call, 'upload.complete', target, credentials, {
          expiresAt: credentials.expiresAt,
          details: {
            mediaId: upload.mediaId,
            uploadId: upload.uploadId,
            parts: check.parts.length,
            sizeBytes: storedBytes.toString(),
            ...(head?.etag === undefined ? {} : { etag: head.etag }),
            sizeVerifiedBy: head === undefined ? 'ListParts' : 'HeadObject',
            sourceTagged,
            transcodeGrantExpiresAt: grantExpiresAt.toISOString(),
          },
        }),
        tx,
      );
    });
    return { location: `/api/media/${upload.mediaId}`, key: upload.objectKey, mediaId: upload.mediaId, status: 'uploaded' };
  }

  // ------------------------------------------------------------------------------------------ abort

  async abort(actor: Actor, uploadId: string, query: unknown, origin: RequestOrigin): Promise<void> {
    const call = this.context(actor, origin);
    const { key } = parseBody(keyQuerySchema, query);
    const upload = await this.openUpload(call, uploadId, key);
    const target = toTargetRef(upload.storageTarget);

    let credentials: ScopedCredentials | undefined;
    let storageAborted = false;
    if (upload.storageTarget.status !== 'revoked') {
      try {
        ({ credentials } = await this.withUploadStore(call, upload, target, (store) => store.abortMultipartUpload(ref(upload))));
        storageAborted = true;
      } catch (error) {
        // Already gone from the bucket (NoSuchUpload), or the studio revoked access: nothing more
        // Isola can do there; the upload is closed all the same. Anything else is worth a retry.
        const code = (error as { code?: unknown }).code;
        if (code !== StorageErrorCode.OBJECT_NOT_FOUND && code !== StorageErrorCode.STORAGE_ACCESS_REVOKED) throw error;
      }
    }
    await this.uploads.transaction(async (tx) => {
      if (!(await this.uploads.closeUpload(tx, upload.id, 'aborted'))) throw UploadsException.aborted();
      await this.uploads.markAbandoned(tx, upload.mediaId, this.clock.now());
      await this.audit.record(
        this.auditEntry(call, 'upload.abort', target, credentials, {
          expiresAt: credentials?.expiresAt ?? null,
          objectKeys: [upload.objectKey],
          details: { mediaId: upload.mediaId, uploadId: upload.uploadId, storageAborted },
        }),
        tx,
      );
    });
  }

  // ------------------------------------------------------------------------------------------ internals

  private context(actor: Actor, origin: RequestOrigin): CallContext {
    const tenant = actor.tenant;
    // @Access('tenant-member') guarantees a tenant; this keeps the type honest.
    if (tenant === null) throw UploadsException.notFound();
    return {
      actor,
      tenant,
      origin,
      credentials: {
        tenantSlug: tenant.slug,
        actor: `user:${actor.userId}`,
        ...(origin.correlationId === null ? {} : { correlationId: origin.correlationId }),
      },
    };
  }

  /**
   * The caller's own upload (by S3 upload id, tenant and user — never by anything else the request
   * says), with the key Uppy sent back checked against the record, in the `open` state.
   */
  private async openUpload(call: CallContext, uploadId: string, key: string): Promise<UploadWithTarget> {
    const upload = uploadId.length > 1024 ? null : await this.uploads.findForUser(uploadId, call.tenant.id, call.actor.userId);
    if (upload === null) throw UploadsException.notFound();
    if (upload.objectKey !== key) throw UploadsException.keyMismatch();
    if (upload.status === 'completed') throw UploadsException.alreadyCompleted();
    if (upload.status === 'aborted') throw UploadsException.aborted();
    return upload;
  }

  /** The upload's own target (it keeps it even if the tenant activated another meanwhile), unless revoked. */
  private reachableTarget(upload: UploadWithTarget): StorageTargetRef {
    if (upload.storageTarget.status === 'revoked') throw targetRevokedException();
    return toTargetRef(upload.storageTarget);
  }

  private async withUploadStore<T>(
    call: CallContext,
    upload: UploadWithTarget,
    target: StorageTargetRef,
    run: (store: ObjectStore) => Promise<T>,
  ): Promise<{ credentials: ScopedCredentials; result: T }> {
    const scope = uploadScope(upload);
    return this.storageErrors.guard(target, scope, call.credentials, async () => {
      const credentials = await this.broker.getCredentials(target, scope, call.credentials);
      const result = await run(this.stores.forCredentials(target, credentials));
      return { credentials, result };
    });
  }

  /**
   * Tags the assembled source {@link SOURCE_TAG}, which the setup kit's optional sources-to-Infrequent-
   * Access lifecycle rule matches (a key prefix cannot tell sources from renditions). Done after
   * completion with PutObjectTagging: Ceph RGW 16 accepts `x-amz-tagging` on CreateMultipartUpload
   * but drops it when the upload completes (measured), and this works the same on AWS.
   *
   * Best effort: the object is already assembled, and the tag only decides its storage class after
   * 30 days; failing the upload here would leave it completed in the bucket and open in Isola. A
   * role set up before its kit granted `s3:PutObjectTagging` lands here: logged, and recorded as
   * `sourceTagged: false` in the completion's audit row.
   */
  private async tagSource(call: CallContext, upload: UploadWithTarget, target: StorageTargetRef): Promise<boolean> {
    try {
      await this.withUploadStore(call, upload, target, (store) =>
        store.putObjectTagging({ key: upload.objectKey, tags: { [SOURCE_TAG.Key]: SOURCE_TAG.Value } }),
      );
      return true;
    } catch (error) {
      this.logger.warn({
        msg: 'could not tag the uploaded source; the sources-to-IA lifecycle rule will not match it',
        mediaId: upload.mediaId,
        code: (error as { code?: unknown }).code,
      });
      return false;
    }
  }

  /**
   * HeadObject on the assembled source. `upload` credentials cannot read (PutObject + multipart
   * only), so this uses the target's server-side `link` credential (GetObject on the media prefix;
   * it never leaves the server), named in its own audit row (`upload.verify`). If HEAD itself fails,
   * the size verified from ListParts stands.
   */
  private async headSource(
    call: CallContext,
    upload: UploadWithTarget,
    target: StorageTargetRef,
  ): Promise<{ head?: ObjectHead; credentials?: ScopedCredentials }> {
    let credentials: ScopedCredentials | undefined;
    try {
      credentials = await this.broker.getCredentials(target, { purpose: 'link' }, call.credentials);
      return { head: await this.stores.forCredentials(target, credentials).headObject(upload.objectKey), credentials };
    } catch (error) {
      if (!isStorageError(error)) throw error;
      this.logger.warn({
        msg: 'HeadObject after completion failed; size verified from ListParts',
        mediaId: upload.mediaId,
        code: error.code,
      });
      return credentials === undefined ? {} : { credentials };
    }
  }

  private async fail(
    call: CallContext,
    upload: UploadWithTarget,
    target: StorageTargetRef,
    credentials: ScopedCredentials,
    uploadStatus: 'completed' | 'aborted',
    declared: bigint,
    received: bigint,
    alsoInTransaction?: (tx: Tx) => Promise<void>,
  ): Promise<void> {
    const reason = `SIZE_MISMATCH: ${declared} bytes declared, ${received} received`;
    await this.uploads.transaction(async (tx) => {
      if (!(await this.uploads.closeUpload(tx, upload.id, uploadStatus))) throw UploadsException.alreadyCompleted();
      await this.uploads.markFailed(tx, upload.mediaId, reason);
      await alsoInTransaction?.(tx);
      await this.audit.record(
        this.auditEntry(call, 'upload.complete', target, credentials, {
          expiresAt: credentials.expiresAt,
          details: {
            mediaId: upload.mediaId,
            uploadId: upload.uploadId,
            result: 'failed',
            code: 'SIZE_MISMATCH',
            declaredBytes: declared.toString(),
            receivedBytes: received.toString(),
            // an assembled object that does not match stays until the media is deleted (see media.delete)
            objectStored: uploadStatus === 'completed',
          },
        }),
        tx,
      );
    });
  }

  private auditEntry(
    call: CallContext,
    action: string,
    target: StorageTargetRef,
    credentials: ScopedCredentials | undefined,
    extra: { expiresAt: Date | null; objectKeys?: readonly string[]; details: Record<string, string | number | boolean> },
  ): AuditEntry {
    return {
      tenantId: call.tenant.id,
      action,
      actor: call.actor,
      purpose: 'upload',
      sessionName: credentials?.sessionName ?? null,
      storageTargetId: target.id,
      objectKeys: extra.objectKeys ?? credentials?.policyKeys ?? [],
      expiresAt: extra.expiresAt,
      ip: call.origin.ip,
      userAgent: call.origin.userAgent,
      correlationId: call.origin.correlationId,
      details: extra.details,
    };
  }
}

function uploadScope(upload: { mediaId: string; objectKey: string }): CredentialScope {
  return { purpose: 'upload', mediaId: upload.mediaId, sourceKey: upload.objectKey };
}

function ref(upload: { objectKey: string; uploadId: string }): { key: string; uploadId: string } {
  return { key: upload.objectKey, uploadId: upload.uploadId };
}
