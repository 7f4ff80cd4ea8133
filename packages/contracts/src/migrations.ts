// Storage-mode switch and live migration (issue 6).
//
//   POST /api/tenant/storage/targets/:id/activate   (tenant admin) → ActivateTargetResponse
//   GET  /api/tenant/migrations                      (tenant admin) → MigrationListResponse
//   GET  /api/tenant/migrations/:id                  (tenant admin) → MigrationDto (with failed items)
//
// `:id` of the activate route is a target id of the caller's studio, or the literal `hosted`: the
// studio's hosted target (its existing one, else a new one in the platform's bucket under
// `tenants/<slug>`) — the way back from a studio's own bucket to hosted storage.
import { z } from 'zod';

/** The `:id` that names the studio's hosted target on the activate route. */
export const HOSTED_TARGET_ALIAS = 'hosted';

export const migrationStatuses = ['pending', 'running', 'completed', 'failed'] as const;
export type MigrationStatus = (typeof migrationStatuses)[number];

export const migrationItemStatuses = ['pending', 'verified', 'switched', 'failed', 'skipped'] as const;
export type MigrationItemStatus = (typeof migrationItemStatuses)[number];

export const MigrationErrorCode = {
  /** 404: no such storage target in the caller's studio. */
  TargetNotFound: 'STORAGE_TARGET_NOT_FOUND',
  /** 409: an isolated target must pass the connection test (status `verified`) before it is activated. */
  TargetNotVerified: 'TARGET_NOT_VERIFIED',
  /** 409: the target already receives the studio's uploads. */
  TargetAlreadyActive: 'TARGET_ALREADY_ACTIVE',
  /** 409: a migration of this studio is still pending or running; switch again once it has finished. */
  MigrationInProgress: 'MIGRATION_IN_PROGRESS',
  /** 409: the platform has no hosted storage configured (isolated → hosted is unavailable). */
  HostedStorageUnavailable: 'HOSTED_STORAGE_UNAVAILABLE',
  /** 404: no such migration in the caller's studio. */
  MigrationNotFound: 'MIGRATION_NOT_FOUND',
} as const;
export type MigrationErrorCode = (typeof MigrationErrorCode)[keyof typeof MigrationErrorCode];

/** Audit actions of the mode switch (written by the API in the activation's transaction). */
export const MigrationAuditAction = {
  TargetActivate: 'target.activate',
  MigrationStart: 'migration.start',
} as const;

/** In-app notices the worker writes when a migration ends. */
export const MigrationNoticeKind = {
  Completed: 'migration.completed',
  Failed: 'migration.failed',
} as const;

const targetSummarySchema = z.object({
  id: z.uuid(),
  mode: z.enum(['hosted', 'isolated']),
  status: z.enum(['pending', 'verified', 'active', 'revoked', 'retired']),
  bucket: z.string(),
  prefix: z.string(),
});
export type MigrationTargetSummary = z.infer<typeof targetSummarySchema>;

export const migrationFailedItemSchema = z.object({
  mediaId: z.uuid(),
  filename: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type MigrationFailedItemDto = z.infer<typeof migrationFailedItemSchema>;

export const migrationSchema = z.object({
  id: z.uuid(),
  status: z.enum(migrationStatuses),
  from: targetSummarySchema,
  to: targetSummarySchema,
  /** Objects (sources + renditions) and bytes to copy, as planned so far (grows while in-flight uploads land). */
  totalObjects: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  copiedObjects: z.number().int().nonnegative(),
  copiedBytes: z.number().int().nonnegative(),
  failedObjects: z.number().int().nonnegative(),
  /** Bytes copied over bytes planned (objects when there are no bytes), 0–100; 100 once completed. */
  percent: z.number().int().min(0).max(100),
  /** Media still waiting to be moved, moved, failed. */
  items: z.object({ pending: z.number().int(), switched: z.number().int(), failed: z.number().int(), skipped: z.number().int() }),
  lastError: z.string().nullable(),
  /** Whether the old copies are deleted after the grace period (hosted source, or isolated with the studio's opt-in). */
  deleteSources: z.boolean(),
  deleteSourcesAfter: z.iso.datetime().nullable(),
  sourcesDeletedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  /** Only on GET /api/tenant/migrations/:id: the media that could not be moved (at most 100). */
  failedItems: z.array(migrationFailedItemSchema).optional(),
});
export type MigrationDto = z.infer<typeof migrationSchema>;

export const migrationListResponseSchema = z.object({ items: z.array(migrationSchema) });
export type MigrationListResponse = z.infer<typeof migrationListResponseSchema>;

export const activateTargetResponseSchema = z.object({
  target: targetSummarySchema,
  /** The migration moving the studio's media from the previously active target; null when there was none. */
  migration: migrationSchema.nullable(),
});
export type ActivateTargetResponse = z.infer<typeof activateTargetResponseSchema>;

/**
 * Progress as a whole percentage: by bytes, by objects when nothing has a size; never 100 before the
 * migration has finished (the last switch is what completes it).
 */
export function migrationPercent(m: {
  status: MigrationStatus;
  totalObjects: number;
  totalBytes: number;
  copiedObjects: number;
  copiedBytes: number;
}): number {
  if (m.status === 'completed') return 100;
  const ratio = m.totalBytes > 0 ? m.copiedBytes / m.totalBytes : m.totalObjects > 0 ? m.copiedObjects / m.totalObjects : 0;
  const percent = Math.floor(Math.min(1, Math.max(0, ratio)) * 100);
  return m.status === 'failed' ? percent : Math.min(99, percent);
}
