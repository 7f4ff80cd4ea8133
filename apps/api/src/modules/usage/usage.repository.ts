import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@isola/database';
import type { UsageCount } from '@isola/contracts';
import type { LinkFacts, TargetFacts } from './estimate-usage.js';

/** Media whose source object is in the bucket (uploading: not yet; deleted: gone or kept by choice). */
const STORED = `('uploaded', 'transcoding', 'ready', 'failed')`;

interface CountRow {
  targetId: string;
  objects: number;
  bytes: bigint | number;
}

const toCount = (row: { objects: number; bytes: bigint | number } | undefined): UsageCount => ({
  objects: row ? Number(row.objects) : 0,
  bytes: row ? Number(row.bytes) : 0,
});

/**
 * Measures one tenant's storage and link mints with aggregate SQL (never row by row): sizes come from
 * what Isola recorded at upload and transcode time, so no bucket listing and no credential is needed.
 */
@Injectable()
export class UsageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async targets(tenantId: string, options: { iaCutoff: Date; iaMinimumBytes: number; staleBefore: Date }): Promise<TargetFacts[]> {
    const [targets, sources, eligible, renditions, stale] = await Promise.all([
      this.prisma.$queryRaw<{ id: string; mode: 'hosted' | 'isolated'; bucket: string; prefix: string; status: string; active: boolean }[]>`
        SELECT t.id::text AS id, t.mode::text AS mode, t.bucket, t.prefix, t.status::text AS status,
               (tn.active_target_id IS NOT DISTINCT FROM t.id) AS active
        FROM storage_targets t JOIN tenants tn ON tn.id = t.tenant_id
        WHERE t.tenant_id = ${tenantId}::uuid
        ORDER BY t.created_at`,
      this.prisma.$queryRawUnsafe<CountRow[]>(
        `SELECT storage_target_id::text AS "targetId", count(*)::int AS objects, coalesce(sum(size_bytes), 0)::bigint AS bytes
         FROM media WHERE tenant_id = $1::uuid AND status IN ${STORED} GROUP BY storage_target_id`,
        tenantId,
      ),
      this.prisma.$queryRawUnsafe<CountRow[]>(
        `SELECT storage_target_id::text AS "targetId", count(*)::int AS objects, coalesce(sum(size_bytes), 0)::bigint AS bytes
         FROM media WHERE tenant_id = $1::uuid AND status IN ${STORED} AND created_at < $2::timestamptz AND size_bytes >= $3
         GROUP BY storage_target_id`,
        tenantId,
        options.iaCutoff.toISOString(),
        options.iaMinimumBytes,
      ),
      this.prisma.$queryRawUnsafe<(CountRow & { kind: string })[]>(
        `SELECT r.storage_target_id::text AS "targetId", r.kind::text AS kind, count(*)::int AS objects,
                coalesce(sum(r.size_bytes), 0)::bigint AS bytes
         FROM renditions r JOIN media m ON m.id = r.media_id
         WHERE m.tenant_id = $1::uuid AND m.status <> 'deleted'
         GROUP BY r.storage_target_id, r.kind`,
        tenantId,
      ),
      this.prisma.$queryRaw<CountRow[]>`
        SELECT storage_target_id::text AS "targetId", count(*)::int AS objects, coalesce(sum(declared_size), 0)::bigint AS bytes
        FROM multipart_uploads
        WHERE tenant_id = ${tenantId}::uuid AND status = 'open' AND created_at < ${options.staleBefore.toISOString()}::timestamptz
        GROUP BY storage_target_id`,
    ]);
    const byTarget = (rows: CountRow[], id: string) => toCount(rows.find((r) => r.targetId === id));
    return targets.map((t) => ({
      targetId: t.id,
      mode: t.mode,
      bucket: t.bucket,
      prefix: t.prefix,
      status: t.status,
      active: t.active,
      sources: byTarget(sources, t.id),
      sourcesEligibleForIa: byTarget(eligible, t.id),
      renditionsByKind: Object.fromEntries(renditions.filter((r) => r.targetId === t.id).map((r) => [r.kind, toCount(r)])),
      staleMultipartUploads: byTarget(stale, t.id),
    }));
  }

  /**
   * Link mints per day since `from`: requests (audit rows `media.links`, members' and support's), links
   * (one per object key) and the bytes they expose — recorded in the row when it was minted
   * (`details.bytesExposed`), else (older rows) the sizes of the objects it names on its target.
   */
  async links(tenantId: string, from: Date): Promise<LinkFacts> {
    const rows = await this.prisma.$queryRaw<{ day: string; mints: number; links: number; bytes: bigint | number }[]>`
      SELECT x.day, count(*)::int AS mints, coalesce(sum(x.links), 0)::int AS links, coalesce(sum(x.bytes), 0)::bigint AS bytes
      FROM (
        SELECT to_char(date_trunc('day', a.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
               cardinality(a.object_keys) AS links,
               CASE WHEN jsonb_typeof(a.details -> 'bytesExposed') = 'number' THEN (a.details ->> 'bytesExposed')::numeric
                    ELSE (SELECT coalesce(sum(coalesce(m.size_bytes, r.size_bytes)), 0)
                          FROM unnest(a.object_keys) AS k(key)
                          LEFT JOIN media m ON m.storage_target_id = a.storage_target_id AND m.object_key = k.key
                          LEFT JOIN renditions r ON m.id IS NULL AND r.storage_target_id = a.storage_target_id AND r.object_key = k.key)
               END AS bytes
        FROM audit_events a
        WHERE a.tenant_id = ${tenantId}::uuid AND a.action = 'media.links' AND a.created_at >= ${from.toISOString()}::timestamptz
      ) x
      GROUP BY x.day ORDER BY x.day`;
    return { daily: rows.map((r) => ({ day: r.day, mints: r.mints, links: r.links, bytesExposed: Number(r.bytes) })) };
  }
}
