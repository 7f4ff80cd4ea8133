import { z } from 'zod';

/** Shapes of the media API (GET /api/media, GET|PATCH|DELETE /api/media/:id, GET /api/media/:id/links). */

export const mediaKinds = ['video', 'image', 'audio', 'document', 'other'] as const;
export const mediaStatuses = ['uploading', 'uploaded', 'transcoding', 'ready', 'failed', 'deleted'] as const;
export const renditionKinds = ['thumbnail', 'poster', 'proxy', 'filmstrip', 'waveform', 'audio_proxy'] as const;

export type MediaKind = (typeof mediaKinds)[number];
export type MediaStatus = (typeof mediaStatuses)[number];
export type RenditionKind = (typeof renditionKinds)[number];

export const renditionSchema = z.object({
  kind: z.enum(renditionKinds),
  sizeBytes: z.number().int().nonnegative(),
  contentType: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  codec: z.string().nullable(),
});
export type RenditionDto = z.infer<typeof renditionSchema>;

export const mediaSchema = z.object({
  id: z.uuid(),
  filename: z.string(),
  kind: z.enum(mediaKinds),
  status: z.enum(mediaStatuses),
  /** Transcoding progress, 0–100. */
  progress: z.number().int().min(0).max(100),
  failureReason: z.string().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  contentType: z.string(),
  sha256: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** The storage target the media lives in (it keeps pointing there when the tenant switches). */
  storageTargetId: z.uuid(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  renditions: z.array(renditionSchema),
});
export type MediaDto = z.infer<typeof mediaSchema>;

export const mediaListQuerySchema = z.object({
  status: z.enum(mediaStatuses).optional(),
  type: z.enum(mediaKinds).optional(),
  /** Case-insensitive filename search. */
  q: z.string().trim().max(200).optional(),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MediaListQuery = z.infer<typeof mediaListQuerySchema>;

export const mediaListResponseSchema = z.object({
  items: z.array(mediaSchema),
  nextCursor: z.string().nullable(),
});
export type MediaListResponse = z.infer<typeof mediaListResponseSchema>;

export const mediaPatchSchema = z.object({
  filename: z.string().trim().min(1).max(1000),
});

/** A presigned GET: one object, short-lived; clients re-request when it expires. */
export const linkSchema = z.object({ url: z.url(), expiresAt: z.iso.datetime() });
export type LinkDto = z.infer<typeof linkSchema>;

export const mediaLinksResponseSchema = z.object({
  source: linkSchema,
  renditions: z.partialRecord(z.enum(renditionKinds), linkSchema),
});
export type MediaLinksResponse = z.infer<typeof mediaLinksResponseSchema>;

/** Auth: GET /api/auth/me and POST /api/auth/login answer this. */
export const meResponseSchema = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).nullable(),
  role: z.enum(['member', 'admin']).nullable(),
  staffRole: z.enum(['support', 'admin']).nullable(),
});
export type MeResponse = z.infer<typeof meResponseSchema>;
