import { z } from 'zod';

/**
 * Tenant storage targets and their setup kit (issue 6): `GET|POST /api/tenant/storage/targets`,
 * `GET /api/tenant/storage/targets/:id/setup-kit`, `POST /api/tenant/storage/targets/:id/external-id`.
 * The connection test (`…/verify`) and activation (`…/activate`) have their own contracts.
 */

export const storageTargetModes = ['hosted', 'isolated'] as const;
export const storageTargetProviders = ['aws', 's3_compatible'] as const;
export const storageTargetStatuses = ['pending', 'verified', 'active', 'revoked', 'retired'] as const;
export type StorageTargetStatus = (typeof storageTargetStatuses)[number];

const isoDateTime = z.iso.datetime({ offset: true });

/** A target as a tenant admin sees it. Never carries a credential; the ExternalId is only in the setup kit. */
export const storageTargetSchema = z.object({
  id: z.uuid(),
  mode: z.enum(storageTargetModes),
  provider: z.enum(storageTargetProviders),
  bucket: z.string(),
  /** '' = the whole bucket. */
  prefix: z.string(),
  region: z.string(),
  /** S3-compatible endpoint origin; null = AWS's own. */
  endpoint: z.string().nullable(),
  roleArn: z.string(),
  status: z.enum(storageTargetStatuses),
  lastCheckAt: isoDateTime.nullable(),
  /** The last connection test / re-check (shape: the connection-test contract). */
  lastCheckResult: z.unknown().nullable(),
  revokedAt: isoDateTime.nullable(),
  /** New uploads go to this target (the tenant's active one). */
  active: z.boolean(),
  createdAt: isoDateTime,
});
export type StorageTargetDto = z.infer<typeof storageTargetSchema>;

export const storageTargetListResponseSchema = z.object({ items: z.array(storageTargetSchema) });
export type StorageTargetListResponse = z.infer<typeof storageTargetListResponseSchema>;

const trimmed = (max: number) => z.string().trim().max(max);

/**
 * A new isolated target: the studio's bucket (+ prefix) and the role Isola assumes. `provider`
 * defaults to `s3_compatible` when an endpoint is given, `aws` otherwise. Field rules (bucket names,
 * ARNs, endpoints, prefixes) are checked by the API and answered as 400 STORAGE_TARGET_INVALID with
 * one issue per problem.
 */
export const createStorageTargetSchema = z.object({
  bucket: trimmed(100),
  region: trimmed(50),
  prefix: trimmed(300).optional(),
  roleArn: trimmed(2048),
  endpoint: trimmed(300).optional(),
  provider: z.enum(storageTargetProviders).optional(),
});
export type CreateStorageTargetRequest = z.infer<typeof createStorageTargetSchema>;

/** One problem with a submitted target (codes: packages/tenant-storage validate-storage-target.ts). */
export const storageTargetIssueSchema = z.object({ field: z.string(), code: z.string(), message: z.string() });
export type StorageTargetIssueDto = z.infer<typeof storageTargetIssueSchema>;

/** Days after which sources move to STANDARD_IA; S3 allows no earlier transition. */
export const SETUP_KIT_MIN_IA_DAYS = 30;

const listParam = z.union([z.string(), z.array(z.string())]).transform((v) =>
  [v]
    .flat()
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Options of the rendered kit (query string of `GET …/setup-kit`). */
export const setupKitQuerySchema = z.object({
  /** 0 or absent = off; otherwise ≥ 30. */
  transitionSourcesAfterDays: z.coerce
    .number()
    .int()
    .min(0)
    .max(36_500)
    .refine((d) => d === 0 || d >= SETUP_KIT_MIN_IA_DAYS, `must be 0 (off) or at least ${SETUP_KIT_MIN_IA_DAYS}`)
    .default(0),
  /** Isola's egress ranges (CIDR), comma-separated or repeated. */
  sourceIps: listParam
    .pipe(z.array(z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()], { error: 'must be IP addresses or CIDR ranges' })).max(50))
    .optional(),
  /** Isola's VPC endpoint. */
  vpcEndpointId: z
    .string()
    .regex(/^vpce-[0-9a-f]{8,17}$/, 'must be a VPC endpoint id (vpce-…)')
    .optional(),
});
export type SetupKitQuery = z.infer<typeof setupKitQuerySchema>;

const document = z.record(z.string(), z.unknown());

export const setupKitResponseSchema = z.object({
  targetId: z.uuid(),
  externalId: z.string(),
  /** The principals the trust policy names: Isola's API and worker. */
  platformPrincipalArns: z.array(z.string()),
  roleArn: z.string(),
  bucket: z.string(),
  prefix: z.string(),
  region: z.string(),
  /** Whether the permission policy grants DeleteObject (the tenant's opt-in). */
  deleteObjects: z.boolean(),
  options: z.object({
    transitionSourcesAfterDays: z.number().int(),
    sourceIps: z.array(z.string()),
    vpcEndpointId: z.string().nullable(),
  }),
  /** IAM / S3 API JSON documents, rendered with this target's values. */
  documents: z.object({
    trustPolicy: document,
    /** For S3-compatible services that cannot evaluate `sts:ExternalId` (Ceph RGW 16). */
    trustPolicyWithoutExternalId: document,
    permissionPolicy: document,
    /** Without `s3:GetEncryptionConfiguration`, which Ceph RGW 16 refuses. */
    permissionPolicyForCephRgw16: document,
    bucketCors: document,
    bucketLifecycle: document,
    bucketPolicy: document,
  }),
  cloudFormation: z.object({
    /** infra/tenant-aws/cloudformation/isola-storage.yaml, verbatim. */
    template: z.string(),
    /** `aws cloudformation create-stack --parameters file://…` input, with this target's values. */
    parameters: z.array(z.object({ ParameterKey: z.string(), ParameterValue: z.string() })),
  }),
  terraform: z.object({
    /** A `module` block for infra/tenant-aws/terraform with this target's values. */
    moduleUsage: z.string(),
  }),
});
export type SetupKitResponse = z.infer<typeof setupKitResponseSchema>;

export const regenerateExternalIdResponseSchema = z.object({
  targetId: z.uuid(),
  externalId: z.string(),
  status: z.enum(storageTargetStatuses),
});
export type RegenerateExternalIdResponse = z.infer<typeof regenerateExternalIdResponseSchema>;

export const StorageTargetErrorCode = {
  /** 400: the submitted target breaks a rule (details.issues lists each). */
  Invalid: 'STORAGE_TARGET_INVALID',
  /** 409: the tenant already has a target on the same bucket whose prefix is, or overlaps, this one. */
  Duplicate: 'STORAGE_TARGET_DUPLICATE',
  /** 404: no such target in this studio. */
  NotFound: 'STORAGE_TARGET_NOT_FOUND',
  /** 409: setup kits and ExternalIds are for isolated targets (hosted ones use the platform's role). */
  NotIsolated: 'STORAGE_TARGET_NOT_ISOLATED',
  /** 409: the target is in a state that forbids the change (e.g. regenerating an active target's ExternalId). */
  WrongState: 'STORAGE_TARGET_WRONG_STATE',
  /** 503: the API does not know Isola's principal ARNs (PLATFORM_TRUSTED_PRINCIPAL_ARNS unset in production). */
  SetupKitUnavailable: 'SETUP_KIT_UNAVAILABLE',
} as const;

export const StorageTargetAuditAction = {
  Create: 'target.create',
  RegenerateExternalId: 'target.external_id.regenerate',
} as const;
