import type { StorageTargetDto } from '@isola/contracts';
import type { StorageTarget } from '@isola/database';

/** What a tenant admin sees of a target: everything but the ExternalId (served by the setup kit only). */
export function toStorageTargetDto(row: StorageTarget, activeTargetId: string | null): StorageTargetDto {
  return {
    id: row.id,
    mode: row.mode,
    provider: row.provider,
    bucket: row.bucket,
    prefix: row.prefix,
    region: row.region,
    endpoint: row.endpoint,
    roleArn: row.roleArn,
    status: row.status,
    lastCheckAt: row.lastCheckAt?.toISOString() ?? null,
    lastCheckResult: row.lastCheckResult ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    active: row.id === activeTargetId,
    createdAt: row.createdAt.toISOString(),
  };
}
