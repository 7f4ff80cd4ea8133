import type { z } from 'zod';
import { auditExportQuerySchema, auditListQuerySchema, supportTenantsQuerySchema } from '../audit.js';
import { mediaListQuerySchema } from '../media.js';
import { noticeListQuerySchema } from '../notices.js';
import { setupKitQuerySchema } from '../storage-targets.js';
import { MAX_SIGN_BATCH_PARTS } from '../uploads.js';
import { usageQuerySchema } from '../usage.js';
import type { RequestSchemaName, ResponseSchemaName } from './component-schemas.js';
import { STORAGE_ERROR_CODES, type ApiErrorCode } from './error-catalog.js';

/** Who may call a route: the API's `@Access(...)` rules (apps/api/src/common/auth/actor.ts `AccessRule`). */
export type RouteAccess = 'public' | 'authenticated' | 'tenant-member' | 'tenant-admin' | 'staff' | 'staff-admin';

export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export type RouteTag =
  'auth' | 'health' | 'media' | 'uploads' | 'storage' | 'migrations' | 'notices' | 'members' | 'audit' | 'support' | 'usage' | 'meta';

/** A query parameter written by hand (its zod schema lives in the API). */
export interface QueryParam {
  name: string;
  required: boolean;
  description: string;
  schema: Record<string, unknown>;
}

export interface RouteSuccess {
  status: 200 | 201 | 204;
  description: string;
  /** The JSON body, by component name. */
  schema?: ResponseSchemaName;
  /** Any other body: media type → JSON Schema (e.g. the audit export's CSV). */
  content?: Record<string, Record<string, unknown>>;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface ApiRoute {
  method: RouteMethod;
  /** OpenAPI form, global prefix included: `/api/media/{id}`. */
  path: `/api/${string}`;
  operationId: string;
  tag: RouteTag;
  summary: string;
  description?: string;
  /** The route's `@Access(...)` rules: the caller must satisfy one. */
  access: readonly [RouteAccess, ...RouteAccess[]];
  /** Descriptions of the `{…}` path parameters (every one gets a parameter either way). */
  params?: Record<string, string>;
  /** A zod object (its input side becomes one parameter per property), or hand-written parameters. */
  query?: z.ZodType | readonly QueryParam[];
  body?: RequestSchemaName;
  /** null: the route never succeeds (GET /api/s3/params). */
  success: RouteSuccess | null;
  /** A second successful answer, e.g. health's 503 with the same body. */
  alsoAnswers?: { status: number; description: string; schema: ResponseSchemaName };
  /**
   * Codes this route's own logic answers with. The ones every route can answer (validation, auth,
   * CSRF, JSON body, database) are added by the builder from the method and access rules.
   */
  errors: readonly ApiErrorCode[];
}

const uploadKey: QueryParam = {
  name: 'key',
  required: true,
  description: 'The object key the create call returned (checked against the upload record).',
  schema: { type: 'string', minLength: 1, maxLength: 2048 },
};

/** Errors of every route that looks up an open upload by id and key. */
const openUploadErrors = ['UPLOAD_NOT_FOUND', 'UPLOAD_KEY_MISMATCH', 'UPLOAD_ALREADY_COMPLETED', 'UPLOAD_ABORTED'] as const;

const uploadIdParam = { uploadId: "S3's UploadId, as the create call returned it." };
const targetIdParam = { id: "A storage target id of the caller's studio." };

/**
 * Every HTTP route of the API (checked against the routes Nest serves by
 * apps/api/test/integration/openapi.integration-spec.ts), in the document's order.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  // ─── health, document
  {
    method: 'GET',
    path: '/api/health',
    operationId: 'getHealth',
    tag: 'health',
    summary: 'Health of the API and every server it depends on',
    description: 'Never assumes a role: STS counts as reachable when an unauthenticated request gets an AWS-style error back.',
    access: ['public'],
    success: { status: 200, description: 'Every dependency is up.', schema: 'HealthResponse' },
    alsoAnswers: {
      status: 503,
      description: 'A dependency is down (same body, `status: degraded`), for load balancers.',
      schema: 'HealthResponse',
    },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'meta',
    summary: 'This OpenAPI document',
    access: ['public'],
    success: {
      status: 200,
      description: 'The OpenAPI 3.1 document of this API.',
      content: { 'application/json': { type: 'object', description: 'An OpenAPI 3.1 document.' } },
    },
    errors: [],
  },
  // ─── auth
  {
    method: 'POST',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'auth',
    summary: 'Sign in',
    description: 'Sets the `isola_session` cookie (HttpOnly, SameSite=Lax, Path=/api). Sign-in attempts are rate-limited.',
    access: ['public'],
    body: 'LoginRequest',
    success: {
      status: 200,
      description: 'Signed in: the user, studio and role.',
      schema: 'MeResponse',
      headers: { 'Set-Cookie': { description: 'The session cookie `isola_session`.', schema: { type: 'string' } } },
    },
    errors: ['INVALID_CREDENTIALS', 'LOGIN_RATE_LIMITED'],
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'auth',
    summary: 'Sign out (ends the session and clears the cookie)',
    access: ['authenticated'],
    success: { status: 204, description: 'Signed out.' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/auth/me',
    operationId: 'getMe',
    tag: 'auth',
    summary: "The session's user, studio and role",
    access: ['authenticated'],
    success: { status: 200, description: 'The signed-in user.', schema: 'MeResponse' },
    errors: [],
  },
  // ─── media
  {
    method: 'GET',
    path: '/api/media',
    operationId: 'listMedia',
    tag: 'media',
    summary: "The studio's media library, newest first (cursor paging)",
    access: ['tenant-member'],
    query: mediaListQuerySchema,
    success: { status: 200, description: 'One page of media; `nextCursor` is null on the last.', schema: 'MediaListResponse' },
    errors: ['INVALID_CURSOR'],
  },
  {
    method: 'GET',
    path: '/api/media/{id}',
    operationId: 'getMedia',
    tag: 'media',
    summary: 'One media with its renditions',
    access: ['tenant-member'],
    params: { id: 'The media id.' },
    success: { status: 200, description: 'The media.', schema: 'Media' },
    errors: ['MEDIA_NOT_FOUND'],
  },
  {
    method: 'PATCH',
    path: '/api/media/{id}',
    operationId: 'renameMedia',
    tag: 'media',
    summary: 'Rename a media (the display name; the object key keeps its name)',
    access: ['tenant-member'],
    params: { id: 'The media id.' },
    body: 'MediaPatchRequest',
    success: { status: 200, description: 'The renamed media.', schema: 'Media' },
    errors: ['MEDIA_NOT_FOUND'],
  },
  {
    method: 'DELETE',
    path: '/api/media/{id}',
    operationId: 'deleteMedia',
    tag: 'media',
    summary: 'Delete a media',
    description:
      'Soft-deletes the media; its objects are removed where Isola may delete (hosted always, a studio bucket only when the studio opted in) and an open upload is aborted. The audit row says what was left.',
    access: ['tenant-admin'],
    params: { id: 'The media id.' },
    success: { status: 204, description: 'Deleted.' },
    errors: ['MEDIA_NOT_FOUND', 'STORAGE_ACCESS_REVOKED'],
  },
  {
    method: 'POST',
    path: '/api/media/{id}/reprocess',
    operationId: 'reprocessMedia',
    tag: 'media',
    summary: 'Transcode a ready or failed media again (a fresh one-time grant, audited)',
    access: ['tenant-admin'],
    params: { id: 'The media id.' },
    success: { status: 200, description: 'The media, back to `uploaded`.', schema: 'Media' },
    errors: ['MEDIA_NOT_FOUND', 'MEDIA_NOT_REPROCESSABLE', 'STORAGE_ACCESS_REVOKED'],
  },
  {
    method: 'GET',
    path: '/api/media/{id}/links',
    operationId: 'getMediaLinks',
    tag: 'media',
    summary: 'Presigned GET links for the source and each rendition',
    description: 'Each link names one object and expires (`expiresAt`); the response is `Cache-Control: no-store`. Audited.',
    access: ['tenant-member'],
    params: { id: 'The media id.' },
    success: { status: 200, description: 'The links.', schema: 'MediaLinksResponse' },
    errors: ['MEDIA_NOT_FOUND', 'MEDIA_NOT_READY', ...STORAGE_ERROR_CODES],
  },
  // ─── uploads (Uppy's Companion S3 routes, multipart only)
  {
    method: 'GET',
    path: '/api/s3/params',
    operationId: 'getUploadParams',
    tag: 'uploads',
    summary: 'Single-request upload parameters: not offered (always 400 MULTIPART_REQUIRED)',
    access: ['tenant-member'],
    success: null,
    errors: ['MULTIPART_REQUIRED'],
  },
  {
    method: 'POST',
    path: '/api/s3/multipart',
    operationId: 'createMultipartUpload',
    tag: 'uploads',
    summary: 'Start a multipart upload (creates the media, status `uploading`)',
    access: ['tenant-member'],
    body: 'CreateMultipartUploadRequest',
    success: {
      status: 200,
      description: 'The upload id, the object key Isola chose and the media id.',
      schema: 'CreateMultipartUploadResponse',
    },
    errors: [
      'FILENAME_TOO_LONG',
      'INVALID_SIZE',
      'UPLOAD_TOO_LARGE',
      'NO_ACTIVE_STORAGE_TARGET',
      'STORAGE_TARGET_NOT_ACTIVE',
      ...STORAGE_ERROR_CODES,
    ],
  },
  {
    method: 'GET',
    path: '/api/s3/multipart/{uploadId}/batch',
    operationId: 'signUploadParts',
    tag: 'uploads',
    summary: 'Presigned UploadPart URLs for several parts (sign ahead)',
    access: ['tenant-member'],
    params: uploadIdParam,
    query: [
      uploadKey,
      {
        name: 'partNumbers',
        required: true,
        description: `Comma-separated part numbers (1 to ${MAX_SIGN_BATCH_PARTS} distinct ones, each 1…10,000), e.g. \`1,2,3\`.`,
        schema: { type: 'string', maxLength: 8 * MAX_SIGN_BATCH_PARTS },
      },
    ],
    success: { status: 200, description: 'A URL per part number.', schema: 'SignPartsResponse' },
    errors: ['INVALID_PART_NUMBER', ...openUploadErrors, ...STORAGE_ERROR_CODES],
  },
  {
    method: 'GET',
    path: '/api/s3/multipart/{uploadId}/{partNumber}',
    operationId: 'signUploadPart',
    tag: 'uploads',
    summary: 'A presigned UploadPart URL for one part',
    access: ['tenant-member'],
    params: { ...uploadIdParam, partNumber: 'The part number, 1…10,000.' },
    query: [
      uploadKey,
      {
        name: 'md5',
        required: false,
        description: 'Base64 MD5 of the part: signed in as Content-MD5, so the bucket refuses bytes that do not match.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9+/]{22}==$' },
      },
    ],
    success: { status: 200, description: 'The URL and the headers the PUT must carry.', schema: 'SignPartResponse' },
    errors: ['INVALID_PART_NUMBER', ...openUploadErrors, ...STORAGE_ERROR_CODES],
  },
  {
    method: 'GET',
    path: '/api/s3/multipart/{uploadId}',
    operationId: 'listUploadParts',
    tag: 'uploads',
    summary: 'The parts uploaded so far (S3 field names)',
    access: ['tenant-member'],
    params: uploadIdParam,
    query: [uploadKey],
    success: { status: 200, description: 'The parts.', schema: 'ListPartsResponse' },
    errors: [...openUploadErrors, ...STORAGE_ERROR_CODES],
  },
  {
    method: 'POST',
    path: '/api/s3/multipart/{uploadId}/complete',
    operationId: 'completeMultipartUpload',
    tag: 'uploads',
    summary: 'Complete the upload (checks parts and the declared size, then queues transcoding)',
    access: ['tenant-member'],
    params: uploadIdParam,
    query: [uploadKey],
    body: 'CompleteMultipartUploadRequest',
    success: { status: 200, description: 'The media, now `uploaded`.', schema: 'CompleteMultipartUploadResponse' },
    errors: ['INVALID_PART_NUMBER', 'PART_TOO_SMALL', 'INVALID_PART', 'SIZE_MISMATCH', ...openUploadErrors, ...STORAGE_ERROR_CODES],
  },
  {
    method: 'DELETE',
    path: '/api/s3/multipart/{uploadId}',
    operationId: 'abortMultipartUpload',
    tag: 'uploads',
    summary: 'Abort the upload',
    access: ['tenant-member'],
    params: uploadIdParam,
    query: [uploadKey],
    success: { status: 204, description: 'Aborted.' },
    errors: [...openUploadErrors, ...STORAGE_ERROR_CODES],
  },
  // ─── storage targets
  {
    method: 'GET',
    path: '/api/tenant/storage/targets',
    operationId: 'listStorageTargets',
    tag: 'storage',
    summary: "The studio's storage targets",
    access: ['tenant-admin'],
    success: { status: 200, description: 'The targets.', schema: 'StorageTargetListResponse' },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/tenant/storage/targets',
    operationId: 'createStorageTarget',
    tag: 'storage',
    summary: "Add an isolated storage target (the studio's bucket and role)",
    access: ['tenant-admin'],
    body: 'CreateStorageTargetRequest',
    success: { status: 201, description: 'The new target, `pending` until the connection test passes.', schema: 'StorageTarget' },
    errors: ['STORAGE_TARGET_INVALID', 'STORAGE_TARGET_DUPLICATE'],
  },
  {
    method: 'GET',
    path: '/api/tenant/storage/targets/{id}/setup-kit',
    operationId: 'getSetupKit',
    tag: 'storage',
    summary: 'The setup kit of an isolated target: policies, CloudFormation and Terraform with its values',
    access: ['tenant-admin'],
    params: targetIdParam,
    query: setupKitQuerySchema,
    success: { status: 200, description: 'The kit.', schema: 'SetupKitResponse' },
    errors: ['STORAGE_TARGET_NOT_FOUND', 'STORAGE_TARGET_NOT_ISOLATED', 'SETUP_KIT_UNAVAILABLE'],
  },
  {
    method: 'POST',
    path: '/api/tenant/storage/targets/{id}/external-id',
    operationId: 'regenerateExternalId',
    tag: 'storage',
    summary: "Regenerate an isolated target's ExternalId (not while it is active)",
    access: ['tenant-admin'],
    params: targetIdParam,
    success: { status: 200, description: 'The new ExternalId.', schema: 'RegenerateExternalIdResponse' },
    errors: ['STORAGE_TARGET_NOT_FOUND', 'STORAGE_TARGET_NOT_ISOLATED', 'STORAGE_TARGET_WRONG_STATE'],
  },
  {
    method: 'POST',
    path: '/api/tenant/storage/targets/{id}/verify',
    operationId: 'verifyStorageTarget',
    tag: 'storage',
    summary: 'Run the connection test now (each step with a fix hint)',
    access: ['tenant-admin'],
    params: targetIdParam,
    success: { status: 200, description: "The stored result and the target's status afterwards.", schema: 'VerifyTargetResponse' },
    errors: ['STORAGE_TARGET_NOT_FOUND', 'CONNECTION_TEST_IN_PROGRESS'],
  },
  {
    method: 'POST',
    path: '/api/tenant/storage/targets/{id}/recheck',
    operationId: 'recheckStorageTarget',
    tag: 'storage',
    summary: 'Check a revoked target again now ("I restored the role")',
    access: ['tenant-admin'],
    params: targetIdParam,
    success: {
      status: 200,
      description: 'The outcome (restored, still revoked, or storage unavailable).',
      schema: 'TargetRecheckResponse',
    },
    errors: [
      'STORAGE_TARGET_NOT_FOUND',
      'TARGET_NOT_REVOKED',
      'STORAGE_MISCONFIGURED',
      'BUCKET_NOT_FOUND',
      'OBJECT_NOT_FOUND',
      'PERMISSION_DENIED',
    ],
  },
  {
    method: 'POST',
    path: '/api/tenant/storage/targets/{id}/activate',
    operationId: 'activateStorageTarget',
    tag: 'migrations',
    summary: "Make a target the studio's active one, migrating its media from the previous one",
    access: ['tenant-admin'],
    params: { id: "A storage target id of the caller's studio, or `hosted` for the studio's hosted target." },
    success: {
      status: 200,
      description: 'The activated target and the migration started (null when none).',
      schema: 'ActivateTargetResponse',
    },
    errors: [
      'STORAGE_TARGET_NOT_FOUND',
      'TARGET_NOT_VERIFIED',
      'TARGET_ALREADY_ACTIVE',
      'MIGRATION_IN_PROGRESS',
      'HOSTED_STORAGE_UNAVAILABLE',
    ],
  },
  // ─── migrations
  {
    method: 'GET',
    path: '/api/tenant/migrations',
    operationId: 'listMigrations',
    tag: 'migrations',
    summary: "The studio's migrations, newest first",
    access: ['tenant-admin'],
    success: { status: 200, description: 'The migrations.', schema: 'MigrationListResponse' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/tenant/migrations/{id}',
    operationId: 'getMigration',
    tag: 'migrations',
    summary: 'One migration with its progress and the media that could not be moved',
    access: ['tenant-admin'],
    params: { id: 'The migration id.' },
    success: { status: 200, description: 'The migration.', schema: 'Migration' },
    errors: ['MIGRATION_NOT_FOUND'],
  },
  // ─── notices
  {
    method: 'GET',
    path: '/api/tenant/notices',
    operationId: 'listNotices',
    tag: 'notices',
    summary: "The studio's notices: undismissed first, newest first",
    access: ['tenant-admin'],
    query: noticeListQuerySchema,
    success: { status: 200, description: 'One page of notices.', schema: 'NoticeListResponse' },
    errors: ['INVALID_CURSOR'],
  },
  {
    method: 'POST',
    path: '/api/tenant/notices/{id}/dismiss',
    operationId: 'dismissNotice',
    tag: 'notices',
    summary: 'Dismiss a notice',
    access: ['tenant-admin'],
    params: { id: 'The notice id.' },
    success: { status: 200, description: 'The dismissed notice.', schema: 'Notice' },
    errors: ['NOTICE_NOT_FOUND'],
  },
  // ─── members
  {
    method: 'GET',
    path: '/api/tenant/members',
    operationId: 'listMembers',
    tag: 'members',
    summary: "The studio's members and their roles",
    access: ['tenant-admin'],
    success: { status: 200, description: 'The members.', schema: 'MemberListResponse' },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/tenant/members',
    operationId: 'addMember',
    tag: 'members',
    summary: 'Add an existing Isola account to the studio',
    access: ['tenant-admin'],
    body: 'AddMemberRequest',
    success: { status: 201, description: 'The new member.', schema: 'Member' },
    errors: ['USER_NOT_FOUND', 'ALREADY_MEMBER'],
  },
  {
    method: 'PATCH',
    path: '/api/tenant/members/{userId}',
    operationId: 'changeMemberRole',
    tag: 'members',
    summary: "Change a member's role",
    access: ['tenant-admin'],
    params: { userId: "The member's user id." },
    body: 'ChangeMemberRoleRequest',
    success: { status: 200, description: 'The member.', schema: 'Member' },
    errors: ['MEMBER_NOT_FOUND', 'LAST_ADMIN'],
  },
  {
    method: 'DELETE',
    path: '/api/tenant/members/{userId}',
    operationId: 'removeMember',
    tag: 'members',
    summary: 'Remove a member from the studio',
    access: ['tenant-admin'],
    params: { userId: "The member's user id." },
    success: { status: 204, description: 'Removed.' },
    errors: ['MEMBER_NOT_FOUND', 'LAST_ADMIN'],
  },
  // ─── audit log
  {
    method: 'GET',
    path: '/api/tenant/audit',
    operationId: 'listAuditEvents',
    tag: 'audit',
    summary: "The studio's audit log, newest first (cursor paging)",
    access: ['tenant-admin'],
    query: auditListQuerySchema,
    success: { status: 200, description: 'One page of audit events.', schema: 'AuditListResponse' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/tenant/audit/export',
    operationId: 'exportAuditEvents',
    tag: 'audit',
    summary: 'Every matching audit event as a CSV or JSON download (streamed; the export is audited)',
    access: ['tenant-admin'],
    query: auditExportQuerySchema,
    success: {
      status: 200,
      description: 'An attachment (`Content-Disposition`): CSV with a header row (RFC 4180), or a JSON array of audit events.',
      content: {
        'text/csv': { type: 'string' },
        'application/json': { type: 'array', items: { $ref: '#/components/schemas/AuditEvent' } },
      },
    },
    errors: [],
  },
  // ─── support access
  {
    method: 'GET',
    path: '/api/tenant/support-grants',
    operationId: 'listSupportGrants',
    tag: 'support',
    summary: "The studio's support grants",
    access: ['tenant-admin'],
    success: { status: 200, description: 'The grants.', schema: 'SupportGrantListResponse' },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/tenant/support-grants',
    operationId: 'createSupportGrant',
    tag: 'support',
    summary: "Give platform support time-boxed access to the studio's hosted media",
    access: ['tenant-admin'],
    body: 'CreateSupportGrantRequest',
    success: { status: 201, description: 'The grant.', schema: 'SupportGrant' },
    errors: ['SUPPORT_ACCESS_NOT_ALLOWED'],
  },
  {
    method: 'DELETE',
    path: '/api/tenant/support-grants/{id}',
    operationId: 'revokeSupportGrant',
    tag: 'support',
    summary: 'Revoke a support grant',
    access: ['tenant-admin'],
    params: { id: 'The support grant id.' },
    success: { status: 200, description: 'The revoked grant.', schema: 'SupportGrant' },
    errors: ['SUPPORT_GRANT_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/api/support/tenants',
    operationId: 'listSupportTenants',
    tag: 'support',
    summary: "Staff's view of the studios: storage mode and target status, never media or credentials",
    access: ['staff'],
    query: supportTenantsQuerySchema,
    success: { status: 200, description: 'One page of studios.', schema: 'SupportTenantsResponse' },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/support/tenants/{tenantId}/media/{mediaId}/links',
    operationId: 'getSupportMediaLinks',
    tag: 'support',
    summary: "Links to a hosted studio's media while one of its admins' support grants is live (audited)",
    description: "Links never outlive the grant. An isolated studio's media are refused always.",
    access: ['staff'],
    params: { tenantId: 'The studio id.', mediaId: 'The media id.' },
    success: { status: 200, description: 'The links.', schema: 'MediaLinksResponse' },
    errors: ['SUPPORT_ACCESS_DENIED', 'MEDIA_NOT_FOUND', 'MEDIA_NOT_READY', ...STORAGE_ERROR_CODES],
  },
  // ─── usage
  {
    method: 'GET',
    path: '/api/tenant/usage',
    operationId: 'getUsage',
    tag: 'usage',
    summary: "The studio's storage, link egress and estimated monthly cost, with lifecycle recommendations",
    access: ['tenant-admin'],
    query: usageQuerySchema,
    success: { status: 200, description: 'The report.', schema: 'UsageResponse' },
    errors: [],
  },
];
