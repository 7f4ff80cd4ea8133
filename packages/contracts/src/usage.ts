import { z } from 'zod';

/**
 * Usage and cost estimates (GET /api/tenant/usage). Storage and egress are the studio's own costs:
 * Isola shows what it stores and what the links it minted expose, prices them with a configurable
 * price table, and recommends lifecycle rules that cut them.
 */

/** Storage classes Isola reports (what S3 calls them). */
export const storageClasses = ['STANDARD', 'STANDARD_IA'] as const;
export type StorageClass = (typeof storageClasses)[number];

/**
 * Prices in US dollars. Defaults: AWS S3 list prices for us-east-1 (first 50 TB tier, Internet egress
 * first 10 TB tier) as published on aws.amazon.com/s3/pricing; a deployment sets its own with
 * USAGE_PRICE_TABLE (JSON, any subset of these fields).
 */
export const priceTableSchema = z
  .object({
    currency: z.literal('USD').default('USD'),
    /** Per GiB-month, by storage class. */
    storagePerGibMonth: z
      .object({
        STANDARD: z.number().nonnegative().default(0.023),
        STANDARD_IA: z.number().nonnegative().default(0.0125),
      })
      .strict()
      .default({ STANDARD: 0.023, STANDARD_IA: 0.0125 }),
    /** Data transfer out to the Internet, per GiB. */
    egressPerGib: z.number().nonnegative().default(0.09),
    /** GET requests, per 1,000. */
    getPer1000: z.number().nonnegative().default(0.0004),
    /** PUT/COPY/POST/LIST requests, per 1,000. */
    putPer1000: z.number().nonnegative().default(0.005),
    /** STANDARD_IA retrieval, per GiB (charged when a transitioned source is read). */
    iaRetrievalPerGib: z.number().nonnegative().default(0.01),
    /** Objects smaller than this are billed as this size in STANDARD_IA (AWS: 128 KiB). */
    iaMinimumBillableBytes: z.number().int().nonnegative().default(131_072),
  })
  .strict();
export type PriceTable = z.infer<typeof priceTableSchema>;

export const DEFAULT_PRICE_TABLE: PriceTable = priceTableSchema.parse({});

export const usageQuerySchema = z
  .object({
    /** Window for link mints and egress, in days ending now. */
    days: z.coerce.number({ error: 'must be a number of days' }).int().min(1).max(366).default(30),
    /**
     * The studio applied the setup kit's lifecycle rule moving sources to STANDARD_IA after this many
     * days: the estimate counts older sources in that class. Absent: everything is STANDARD (Isola writes
     * every object as STANDARD and cannot see the bucket's lifecycle rules).
     */
    sourcesToIaAfterDays: z.coerce.number({ error: 'must be a number of days' }).int().min(30).max(3650).optional(),
  })
  .strict();
export type UsageQuery = z.infer<typeof usageQuerySchema>;

const count = z.object({ objects: z.number().int(), bytes: z.number() });
export type UsageCount = z.infer<typeof count>;

export const targetUsageSchema = z.object({
  targetId: z.uuid(),
  mode: z.enum(['hosted', 'isolated']),
  bucket: z.string(),
  prefix: z.string(),
  status: z.string(),
  active: z.boolean(),
  sources: count,
  renditions: count.extend({ byKind: z.record(z.string(), count) }),
  /** Estimated split by storage class (see `sourcesToIaAfterDays` in the query). */
  byStorageClass: z.record(z.enum(storageClasses), count),
  /** Multipart uploads still open after a day: parts S3 bills until aborted. */
  staleMultipartUploads: count,
});
export type TargetUsage = z.infer<typeof targetUsageSchema>;

export const costLineSchema = z.object({
  item: z.enum(['storage.STANDARD', 'storage.STANDARD_IA', 'egress', 'requests.get']),
  quantity: z.number(),
  unit: z.enum(['GiB-month', 'GiB', '1000 requests']),
  unitPrice: z.number(),
  monthly: z.number(),
});
export type CostLine = z.infer<typeof costLineSchema>;

export const recommendationSchema = z.object({
  id: z.enum(['abort-incomplete-multipart', 'sources-to-infrequent-access']),
  targetId: z.uuid(),
  title: z.string(),
  why: z.string(),
  /** Estimated monthly saving in the price table's currency (0 when it only prevents future cost). */
  monthlySaving: z.number(),
  /** The S3 lifecycle configuration to apply to the bucket (PutBucketLifecycleConfiguration's JSON). */
  lifecycleConfiguration: z.object({ Rules: z.array(z.record(z.string(), z.unknown())) }),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const usageResponseSchema = z.object({
  generatedAt: z.iso.datetime(),
  window: z.object({ days: z.number().int(), from: z.iso.datetime(), to: z.iso.datetime() }),
  totals: z.object({ sources: count, renditions: count, stored: count }),
  targets: z.array(targetUsageSchema),
  links: z.object({
    /** Link requests (each mints one link per object of a media). */
    mints: z.number().int(),
    /** Links minted (one object each). */
    links: z.number().int(),
    /** Bytes of the objects those links expose: the egress if each link is fetched once. */
    bytesExposed: z.number(),
    /** Per day, oldest first (for a chart). */
    daily: z.array(z.object({ day: z.string(), mints: z.number().int(), bytesExposed: z.number() })),
  }),
  cost: z.object({
    currency: z.literal('USD'),
    lines: z.array(costLineSchema),
    monthly: z.number(),
    assumptions: z.array(z.string()),
  }),
  recommendations: z.array(recommendationSchema),
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;
