import { Injectable } from '@nestjs/common';
import { Clock } from '@isola/runtime';
import { CommonErrorCode, type SupportTenantsQuery, type SupportTenantsResponse } from '@isola/contracts';
import { ApiException } from '../../common/api.exception.js';
import { classifyTenantStorage } from './classify-tenant-storage.js';
import { SupportRepository } from './support.repository.js';

/** The staff overview of tenants: storage mode, target health and whether support access is open. */
@Injectable()
export class SupportTenantsService {
  constructor(
    private readonly repository: SupportRepository,
    private readonly clock: Clock,
  ) {}

  async list(query: SupportTenantsQuery): Promise<SupportTenantsResponse> {
    const now = this.clock.now();
    const afterSlug = query.cursor === undefined ? null : decodeSlugCursor(query.cursor);
    const rows = await this.repository.tenantsPage({ q: query.q ?? null, afterSlug, take: query.limit + 1, now });
    const items = rows.slice(0, query.limit).map((tenant) => {
      const storageMode = classifyTenantStorage(tenant.storageTargets);
      const grant = storageMode === 'hosted' ? tenant.supportGrants[0] : undefined;
      const targetCounts: Record<string, number> = {};
      for (const t of tenant.storageTargets) targetCounts[t.status] = (targetCounts[t.status] ?? 0) + 1;
      return {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        createdAt: tenant.createdAt.toISOString(),
        storageMode,
        activeTarget: tenant.activeTarget
          ? {
              ...tenant.activeTarget,
              lastCheckAt: tenant.activeTarget.lastCheckAt?.toISOString() ?? null,
              revokedAt: tenant.activeTarget.revokedAt?.toISOString() ?? null,
            }
          : null,
        targetCounts,
        supportAccess: { allowed: grant !== undefined, until: grant?.expiresAt.toISOString() ?? null },
      };
    });
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? Buffer.from(last.slug, 'utf8').toString('base64url') : null };
  }
}

function decodeSlugCursor(cursor: string): string {
  const slug = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!slug) {
    throw new ApiException(400, CommonErrorCode.ValidationFailed, 'The request is not valid: cursor: is not a cursor this API issued.', {
      fields: [{ field: 'cursor', message: 'is not a cursor this API issued' }],
    });
  }
  return slug;
}
