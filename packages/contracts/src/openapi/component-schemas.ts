import { type z } from 'zod';
import {
  auditEventSchema,
  auditListResponseSchema,
  createSupportGrantSchema,
  supportGrantListResponseSchema,
  supportGrantSchema,
  supportTenantSchema,
  supportTenantsResponseSchema,
} from '../audit.js';
import { connectionTestStepSchema, verifyTargetResponseSchema } from '../connection-test.js';
import { healthResponseSchema } from '../health.js';
import {
  linkSchema,
  mediaLinksResponseSchema,
  mediaListResponseSchema,
  mediaPatchSchema,
  mediaSchema,
  meResponseSchema,
  renditionSchema,
} from '../media.js';
import { addMemberSchema, changeMemberRoleSchema, memberListResponseSchema, memberSchema } from '../members.js';
import { activateTargetResponseSchema, migrationListResponseSchema, migrationSchema } from '../migrations.js';
import { noticeListResponseSchema, noticeSchema, targetRecheckResponseSchema } from '../notices.js';
import {
  createStorageTargetSchema,
  regenerateExternalIdResponseSchema,
  setupKitResponseSchema,
  storageTargetListResponseSchema,
  storageTargetSchema,
} from '../storage-targets.js';
import {
  completeMultipartUploadRequestSchema,
  completeMultipartUploadResponseSchema,
  createMultipartUploadRequestSchema,
  createMultipartUploadResponseSchema,
  listPartsResponseSchema,
  signPartResponseSchema,
  signPartsResponseSchema,
} from '../uploads.js';
import { usageResponseSchema } from '../usage.js';

/**
 * What the API answers with, by component name (`#/components/schemas/<name>`). Nested schemas listed
 * here (Media inside MediaList, …) become `$ref`s instead of being repeated.
 */
export const responseSchemas = {
  HealthResponse: healthResponseSchema,
  MeResponse: meResponseSchema,
  Media: mediaSchema,
  Rendition: renditionSchema,
  MediaListResponse: mediaListResponseSchema,
  Link: linkSchema,
  MediaLinksResponse: mediaLinksResponseSchema,
  CreateMultipartUploadResponse: createMultipartUploadResponseSchema,
  SignPartResponse: signPartResponseSchema,
  SignPartsResponse: signPartsResponseSchema,
  ListPartsResponse: listPartsResponseSchema,
  CompleteMultipartUploadResponse: completeMultipartUploadResponseSchema,
  AuditEvent: auditEventSchema,
  AuditListResponse: auditListResponseSchema,
  StorageTarget: storageTargetSchema,
  StorageTargetListResponse: storageTargetListResponseSchema,
  SetupKitResponse: setupKitResponseSchema,
  RegenerateExternalIdResponse: regenerateExternalIdResponseSchema,
  ConnectionTestStep: connectionTestStepSchema,
  VerifyTargetResponse: verifyTargetResponseSchema,
  TargetRecheckResponse: targetRecheckResponseSchema,
  Migration: migrationSchema,
  MigrationListResponse: migrationListResponseSchema,
  ActivateTargetResponse: activateTargetResponseSchema,
  Notice: noticeSchema,
  NoticeListResponse: noticeListResponseSchema,
  Member: memberSchema,
  MemberListResponse: memberListResponseSchema,
  SupportGrant: supportGrantSchema,
  SupportGrantListResponse: supportGrantListResponseSchema,
  SupportTenant: supportTenantSchema,
  SupportTenantsResponse: supportTenantsResponseSchema,
  UsageResponse: usageResponseSchema,
} as const satisfies Record<string, z.ZodType>;
export type ResponseSchemaName = keyof typeof responseSchemas;

/** What the API accepts as JSON bodies (their input side: before defaults and transforms). */
export const requestSchemas = {
  MediaPatchRequest: mediaPatchSchema,
  CreateMultipartUploadRequest: createMultipartUploadRequestSchema,
  CompleteMultipartUploadRequest: completeMultipartUploadRequestSchema,
  CreateStorageTargetRequest: createStorageTargetSchema,
  AddMemberRequest: addMemberSchema,
  ChangeMemberRoleRequest: changeMemberRoleSchema,
  CreateSupportGrantRequest: createSupportGrantSchema,
} as const satisfies Record<string, z.ZodType>;

/**
 * Bodies whose zod schema lives in the API, not in this package: written here as JSON Schema.
 * LoginRequest mirrors `loginSchema` in apps/api/src/modules/auth/auth.controller.ts.
 */
export const plainRequestSchemas = {
  LoginRequest: {
    type: 'object',
    properties: {
      email: { type: 'string', format: 'email', minLength: 3, maxLength: 320 },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
    },
    required: ['email', 'password'],
  },
} as const;

export type RequestSchemaName = keyof typeof requestSchemas | keyof typeof plainRequestSchemas;
