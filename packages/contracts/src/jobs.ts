import { z } from 'zod';

/**
 * Every background job Isola runs, as one union (name → payload). The API never talks to the queue
 * directly: it writes an outbox row in the same transaction as the state change, and the worker's
 * relay moves the row to the queue. `outboxId` lets the worker mark the row done.
 */
export const JobName = {
  SystemPing: 'System.Ping',
  MediaTranscode: 'Media.Transcode',
  /** Copy a tenant's media to another of its storage targets (issue 6). */
  StorageMigrate: 'Storage.Migrate',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const jobPayloadSchemas = {
  [JobName.SystemPing]: z.object({ note: z.string().max(200) }),
  [JobName.MediaTranscode]: z.object({ mediaId: z.uuid() }),
  [JobName.StorageMigrate]: z.object({ migrationId: z.uuid() }),
} satisfies Record<JobName, z.ZodType>;

export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;

export type JobItem = {
  [N in JobName]: { name: N; payload: JobPayload<N> };
}[JobName];

/** What travels through the queue: the payload plus the envelope the relay adds. */
export interface JobEnvelope<N extends JobName = JobName> {
  outboxId: string;
  correlationId: string | null;
  payload: JobPayload<N>;
}

/** Queue names: one queue per kind of work so each has its own concurrency. */
export const QueueName = {
  System: 'system',
  Media: 'media',
  Storage: 'storage',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const queueForJob: Record<JobName, QueueName> = {
  [JobName.SystemPing]: QueueName.System,
  [JobName.MediaTranscode]: QueueName.Media,
  [JobName.StorageMigrate]: QueueName.Storage,
};

/** Jobs whose id is derived from the payload, so a job is never run twice in parallel. */
export function jobIdFor(item: JobItem, outboxId: string): string {
  switch (item.name) {
    case JobName.MediaTranscode:
      return `media:${item.payload.mediaId}`;
    case JobName.StorageMigrate:
      return `migration:${item.payload.migrationId}`;
    case JobName.SystemPing:
      return `ping:${outboxId}`;
  }
}

export function parseJobPayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  return jobPayloadSchemas[name].parse(payload) as JobPayload<N>;
}

export function isJobName(value: string): value is JobName {
  return Object.values(JobName).includes(value as JobName);
}
