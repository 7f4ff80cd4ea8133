import { Injectable } from '@nestjs/common';
import {
  PrismaClient,
  queryRows,
  type Media,
  type MediaKind,
  type MediaStatus,
  type MultipartUpload,
  type Prisma,
  type Rendition,
  type RenditionKind,
  type StorageTarget,
  type StorageTargetStatus,
  type Tenant,
} from '@isola/database';
import type { StorageTargetRow } from '@isola/tenant-storage';
import type { MediaCursor } from './media-cursor.js';

export type MediaWithRenditions = Media & { renditions: Rendition[] };
export type MediaForStorage = MediaWithRenditions & {
  storageTarget: StorageTarget;
  tenant: Pick<Tenant, 'id' | 'linkLifetimeSeconds' | 'deleteObjectsEnabled'>;
  multipartUpload: MultipartUpload | null;
};

/** What minting a media's links needs: the media, its own target, the tenant's link lifetime, the renditions. */
export interface MediaForLinks {
  id: string;
  status: MediaStatus;
  objectKey: string;
  filename: string;
  sizeBytes: bigint;
  linkLifetimeSeconds: number;
  storageTarget: StorageTargetRow & { status: StorageTargetStatus };
  /** In kind order (as `find` returns them). */
  renditions: { kind: RenditionKind; objectKey: string; sizeBytes: bigint }[];
}

/** One row of `findForLinks`' statement: the media once per rendition (LEFT JOIN: once, with nulls, when it has none). */
interface MediaForLinksRow {
  id: string;
  status: MediaStatus;
  objectKey: string;
  filename: string;
  sizeBytes: bigint | number | string;
  linkLifetimeSeconds: number;
  targetId: string;
  targetTenantId: string;
  mode: StorageTargetRow['mode'];
  provider: StorageTargetRow['provider'];
  endpoint: string | null;
  region: string;
  bucket: string;
  prefix: string;
  roleArn: string;
  externalId: string;
  targetStatus: StorageTargetStatus;
  renditionKind: RenditionKind | null;
  renditionKey: string | null;
  renditionSize: bigint | number | string | null;
}

export interface MediaListFilter {
  tenantId: string;
  status?: MediaStatus;
  kind?: MediaKind;
  q?: string;
  after?: MediaCursor;
  take: number;
}

/** `findForLinks`' statement: $1 media id, $2 tenant id. */
const MEDIA_FOR_LINKS = {
  name: 'isola-media-for-links',
  text: `
    SELECT m.id::text AS id, m.status::text AS status, m.object_key AS "objectKey", m.filename,
           m.size_bytes AS "sizeBytes", tn.link_lifetime_seconds AS "linkLifetimeSeconds",
           st.id::text AS "targetId", st.tenant_id::text AS "targetTenantId", st.mode::text AS mode,
           st.provider::text AS provider, st.endpoint, st.region, st.bucket, st.prefix, st.role_arn AS "roleArn",
           st.external_id AS "externalId", st.status::text AS "targetStatus",
           r.kind::text AS "renditionKind", r.object_key AS "renditionKey", r.size_bytes AS "renditionSize"
    FROM media m
    JOIN tenants tn ON tn.id = m.tenant_id
    JOIN storage_targets st ON st.id = m.storage_target_id AND st.tenant_id = m.tenant_id
    LEFT JOIN renditions r ON r.media_id = m.id
    WHERE m.id = $1::uuid AND m.tenant_id = $2::uuid AND m.status <> 'deleted'
    ORDER BY r.kind`,
};

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

  /**
   * The media with its own storage target (not necessarily the tenant's active one), renditions, upload
   * and the tenant's settings, read in ONE snapshot (repeatable read): Prisma loads each `include` with
   * its own query, and a migration moves a media's source and renditions to the new target in one
   * transaction — without the snapshot a switch landing between those queries would pair new-prefix
   * rendition keys with the old target (a link that 404s). Delete and re-process use it.
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

  /**
   * What `GET /api/media/:id/links` needs, in ONE SQL statement — so in one snapshot, as
   * `findForStorage`'s transaction guarantees (a migration switching the media's source and renditions
   * to a new target in one transaction is seen entirely or not at all), in one round trip instead of
   * BEGIN / SET ISOLATION / a query per include / COMMIT. The target is joined on (id, tenant id): the
   * same composite key the foreign key enforces. It runs on the pool as a prepared statement
   * (`queryRows`): this read is most of a links request's database work.
   */
  async findForLinks(tenantId: string, id: string): Promise<MediaForLinks | null> {
    const rows = await queryRows<MediaForLinksRow>(this.prisma, MEDIA_FOR_LINKS, [id, tenantId]);
    const first = rows[0];
    if (first === undefined) return null;
    const renditions: MediaForLinks['renditions'] = [];
    for (const row of rows) {
      if (row.renditionKind === null || row.renditionKey === null || row.renditionSize === null) continue;
      renditions.push({ kind: row.renditionKind, objectKey: row.renditionKey, sizeBytes: BigInt(row.renditionSize) });
    }
    return {
      id: first.id,
      status: first.status,
      objectKey: first.objectKey,
      filename: first.filename,
      sizeBytes: BigInt(first.sizeBytes),
      linkLifetimeSeconds: Number(first.linkLifetimeSeconds),
      storageTarget: {
        id: first.targetId,
        tenantId: first.targetTenantId,
        mode: first.mode,
        provider: first.provider,
        endpoint: first.endpoint,
        region: first.region,
        bucket: first.bucket,
        prefix: first.prefix,
        roleArn: first.roleArn,
        externalId: first.externalId,
        status: first.targetStatus,
      },
      renditions,
    };
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
