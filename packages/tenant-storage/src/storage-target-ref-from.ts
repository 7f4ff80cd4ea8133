import type { StorageMode, StorageProvider, StorageTargetRef } from './storage-target.js';

/** The columns of a stored target (a `storage_targets` row) that describe how to reach it. */
export interface StorageTargetRow {
  id: string;
  tenantId: string;
  mode: StorageMode;
  provider: StorageProvider;
  endpoint: string | null;
  region: string;
  bucket: string;
  prefix: string;
  roleArn: string;
  externalId: string;
}

/** A database row as the storage packages see it (they never read Prisma types); shared by api and worker. */
export function storageTargetRefFrom(row: StorageTargetRow): StorageTargetRef {
  return {
    id: row.id,
    tenantId: row.tenantId,
    mode: row.mode,
    provider: row.provider,
    ...(row.endpoint ? { endpoint: row.endpoint } : {}),
    region: row.region,
    bucket: row.bucket,
    prefix: row.prefix,
    roleArn: row.roleArn,
    externalId: row.externalId,
  };
}
