import { Injectable } from '@nestjs/common';
import {
  PrismaClient,
  type Media,
  type MediaKind,
  type MediaStatus,
  type MultipartUpload,
  type Prisma,
  type Rendition,
  type StorageTarget,
  type Tenant,
} from '@isola/database';
import type { MediaCursor } from './media-cursor.js';

export type MediaWithRenditions = Media & { renditions: Rendition[] };
export type MediaForStorage = MediaWithRenditions & {
  storageTarget: StorageTarget;
  tenant: Pick<Tenant, 'id' | 'linkLifetimeSeconds' | 'deleteObjectsEnabled'>;
  multipartUpload: MultipartUpload | null;
};

export interface MediaListFilter {
  tenantId: string;
  status?: MediaStatus;
  kind?: MediaKind;
  q?: string;
  after?: MediaCursor;
  take: number;
}

const RENDITIONS = { renditions: { orderBy: { kind: 'asc' } } } satisfies Prisma.MediaInclude;

/** Prisma queries of the media library. Every query is scoped by tenant; deleted media are never returned. */
@Injectable()
export class MediaRepository {
  constructor(private readonly prisma: PrismaClient) {}

  transaction<T>(run: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(run);
  }

  /** Newest first, by (createdAt, id) so the cursor is stable under equal timestamps. */
  list(filter: MediaListFilter): Promise<MediaWithRenditions[]> {
    const where: Prisma.MediaWhereInput = {
      tenantId: filter.tenantId,
      status: filter.status === undefined ? { not: 'deleted' } : filter.status === 'deleted' ? { in: [] } : filter.status,
      ...(filter.kind === undefined ? {} : { kind: filter.kind }),
      ...(filter.q === undefined || filter.q === '' ? {} : { filename: { contains: escapeLike(filter.q), mode: 'insensitive' } }),
      ...(filter.after === undefined
        ? {}
        : {
            OR: [{ createdAt: { lt: filter.after.createdAt } }, { createdAt: filter.after.createdAt, id: { lt: filter.after.id } }],
          }),
    };
    return this.prisma.media.findMany({
      where,
      include: RENDITIONS,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.take,
    });
  }

  find(tenantId: string, id: string): Promise<MediaWithRenditions | null> {
    return this.prisma.media.findFirst({ where: { id, tenantId, status: { not: 'deleted' } }, include: RENDITIONS });
  }

  /** With its own storage target (not necessarily the tenant's active one) and the tenant's settings. */
  /**
   * The media with its target and renditions, read in ONE snapshot (repeatable read): Prisma loads
   * each `include` with its own query, and a migration moves a media's source and renditions to the
   * new target in one transaction — without the snapshot a switch landing between those queries
   * would pair new-prefix rendition keys with the old target (a link that 404s).
   */
  findForStorage(tenantId: string, id: string): Promise<MediaForStorage | null> {
    return this.prisma.$transaction(
      (tx) =>
        tx.media.findFirst({
          where: { id, tenantId, status: { not: 'deleted' } },
          include: {
            ...RENDITIONS,
            storageTarget: true,
            multipartUpload: true,
            tenant: { select: { id: true, linkLifetimeSeconds: true, deleteObjectsEnabled: true } },
          },
        }),
      { isolationLevel: 'RepeatableRead' },
    );
  }

  /** A ready or failed media back to `uploaded` for a new transcode; false when its state changed meanwhile. */
  async reopenForTranscode(tx: Prisma.TransactionClient, tenantId: string, id: string): Promise<boolean> {
    const { count } = await tx.media.updateMany({
      where: { id, tenantId, status: { in: ['ready', 'failed'] } },
      data: { status: 'uploaded', progress: 0, failureReason: null },
    });
    return count === 1;
  }

  createTranscodeGrant(
    tx: Prisma.TransactionClient,
    grant: { mediaId: string; tenantId: string; expiresAt: Date; issuedBy: string; reason: string },
  ): Promise<{ id: string }> {
    return tx.transcodeGrant.create({ data: grant, select: { id: true } });
  }

  async rename(tenantId: string, id: string, filename: string): Promise<MediaWithRenditions | null> {
    const { count } = await this.prisma.media.updateMany({ where: { id, tenantId, status: { not: 'deleted' } }, data: { filename } });
    return count === 1 ? this.find(tenantId, id) : null;
  }

  /** Soft-deletes; false when it was deleted meanwhile. Closes an upload still open. */
  async markDeleted(tx: Prisma.TransactionClient, tenantId: string, id: string, at: Date): Promise<boolean> {
    const { count } = await tx.media.updateMany({
      where: { id, tenantId, status: { not: 'deleted' } },
      data: { status: 'deleted', deletedAt: at },
    });
    if (count !== 1) return false;
    await tx.multipartUpload.updateMany({ where: { mediaId: id, status: 'open' }, data: { status: 'aborted' } });
    return true;
  }
}

/** Prisma passes `contains` to ILIKE unescaped: `%` and `_` in a search are characters, not wildcards. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
