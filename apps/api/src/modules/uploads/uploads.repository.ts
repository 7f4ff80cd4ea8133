import { Injectable } from '@nestjs/common';
import { PrismaClient, type MediaKind, type MultipartUpload, type Prisma, type StorageTarget } from '@isola/database';

export type Tx = Prisma.TransactionClient;

/** An upload with the target it writes to (which may no longer be the tenant's active one). */
export type UploadWithTarget = MultipartUpload & { storageTarget: StorageTarget };

export interface NewUpload {
  mediaId: string;
  tenantId: string;
  userId: string;
  storageTargetId: string;
  uploadId: string;
  objectKey: string;
  filename: string;
  contentType: string;
  kind: MediaKind;
  declaredSize: bigint;
  sha256: string | null;
}

/** Prisma queries of the upload feature (media rows in `uploading`, their MultipartUpload, grants). */
@Injectable()
export class UploadsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(run: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(run);
  }

  async tenantMaxUploadBytes(tenantId: string): Promise<bigint | null> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { maxUploadBytes: true } });
    return tenant?.maxUploadBytes ?? null;
  }

  async createUpload(tx: Tx, upload: NewUpload): Promise<void> {
    await tx.media.create({
      data: {
        id: upload.mediaId,
        tenantId: upload.tenantId,
        storageTargetId: upload.storageTargetId,
        objectKey: upload.objectKey,
        filename: upload.filename,
        sizeBytes: upload.declaredSize,
        contentType: upload.contentType,
        sha256: upload.sha256,
        kind: upload.kind,
        status: 'uploading',
        createdById: upload.userId,
      },
    });
    await tx.multipartUpload.create({
      data: {
        mediaId: upload.mediaId,
        tenantId: upload.tenantId,
        userId: upload.userId,
        storageTargetId: upload.storageTargetId,
        uploadId: upload.uploadId,
        objectKey: upload.objectKey,
        declaredSize: upload.declaredSize,
      },
    });
  }

  /** The caller's own upload in the caller's tenant, or null (another user's or tenant's uploads are not found). */
  findForUser(uploadId: string, tenantId: string, userId: string): Promise<UploadWithTarget | null> {
    return this.prisma.multipartUpload.findFirst({
      where: { uploadId, tenantId, userId },
      include: { storageTarget: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  /**
   * Moves an open upload to `status` (false when it was not open any more: a concurrent request won).
   * Must run first in its transaction, so nothing else is written when it returns false.
   */
  async closeUpload(tx: Tx, id: string, status: 'completed' | 'aborted'): Promise<boolean> {
    const { count } = await tx.multipartUpload.updateMany({ where: { id, status: 'open' }, data: { status } });
    return count === 1;
  }

  async markUploaded(tx: Tx, mediaId: string, sizeBytes: bigint): Promise<void> {
    await tx.media.update({ where: { id: mediaId }, data: { status: 'uploaded', sizeBytes, failureReason: null } });
  }

  async markFailed(tx: Tx, mediaId: string, reason: string): Promise<void> {
    await tx.media.update({ where: { id: mediaId }, data: { status: 'failed', failureReason: reason } });
  }

  /** An aborted upload leaves nothing to show: the media is soft-deleted. */
  async markAbandoned(tx: Tx, mediaId: string, at: Date): Promise<void> {
    await tx.media.update({ where: { id: mediaId }, data: { status: 'deleted', deletedAt: at, failureReason: 'Upload aborted' } });
  }

  async createTranscodeGrant(tx: Tx, grant: { mediaId: string; tenantId: string; expiresAt: Date; reason: string }): Promise<void> {
    await tx.transcodeGrant.create({ data: { ...grant, issuedBy: 'system' } });
  }
}
