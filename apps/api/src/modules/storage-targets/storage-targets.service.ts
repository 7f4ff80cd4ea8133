import { Inject, Injectable } from '@nestjs/common';
import {
  StorageTargetAuditAction,
  type CreateStorageTargetRequest,
  type RegenerateExternalIdResponse,
  type SetupKitQuery,
  type SetupKitResponse,
  type StorageTargetDto,
  type StorageTargetListResponse,
} from '@isola/contracts';
import { CredentialBroker } from '@isola/credentials';
import { generateExternalId, type StorageTarget } from '@isola/database';
import { buildSetupKit, storagePrefixesOverlap, validateStorageTarget, type SetupKitInput } from '@isola/tenant-storage';
import type { Actor } from '../../common/auth/actor.js';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { CloudFormationTemplate } from './cloudformation-template.js';
import { StorageTargetAdminRepository } from './storage-target-admin.repository.js';
import { StorageTargetsException } from './storage-targets.exception.js';
import { cloudFormationParameters, terraformModuleUsage } from './template-inputs.js';
import { toStorageTargetDto } from './to-storage-target-dto.js';

/**
 * A tenant admin's storage targets: list them, add an isolated one (pending until the connection test
 * passes), render its setup kit, regenerate its ExternalId.
 */
@Injectable()
export class StorageTargetsService {
  constructor(
    private readonly repository: StorageTargetAdminRepository,
    private readonly audit: AuditService,
    private readonly broker: CredentialBroker,
    private readonly template: CloudFormationTemplate,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async list(tenantId: string): Promise<StorageTargetListResponse> {
    const { targets, activeTargetId } = await this.repository.listForTenant(tenantId);
    return { items: targets.map((target) => toStorageTargetDto(target, activeTargetId)) };
  }

  /**
   * Validates the target (400 STORAGE_TARGET_INVALID, one issue per problem), refuses one whose
   * bucket location overlaps a live target of the tenant (409), and stores it `pending` with a fresh
   * ExternalId. Audited in the same transaction.
   */
  async create(actor: Actor, tenantId: string, request: CreateStorageTargetRequest, origin: RequestOrigin): Promise<StorageTargetDto> {
    const validation = validateStorageTarget(
      {
        mode: 'isolated',
        provider: request.provider ?? (request.endpoint ? 's3_compatible' : 'aws'),
        endpoint: request.endpoint ?? null,
        region: request.region,
        bucket: request.bucket,
        prefix: request.prefix ?? '',
        roleArn: request.roleArn,
        externalId: generateExternalId(),
      },
      // http:// and loopback endpoints (the local RGW) outside production only
      { allowLocalEndpoints: this.config.env !== 'production' },
    );
    if (!validation.ok) throw StorageTargetsException.invalid(validation.issues);
    const config = validation.value;

    return this.repository.transaction(async (tx) => {
      await this.repository.lockTenant(tenantId, tx);
      const clash = (await this.repository.liveTargetsOnBucket(tenantId, config.bucket, tx)).find(
        (other) => (other.endpoint ?? null) === (config.endpoint ?? null) && storagePrefixesOverlap(other.prefix, config.prefix),
      );
      if (clash) throw StorageTargetsException.duplicate(clash.id);
      const target = await this.repository.create(tx, tenantId, config);
      await this.audit.record(
        {
          tenantId,
          action: StorageTargetAuditAction.Create,
          actor,
          storageTargetId: target.id,
          ...origin,
          details: {
            mode: target.mode,
            provider: target.provider,
            endpoint: target.endpoint,
            region: target.region,
            bucket: target.bucket,
            prefix: target.prefix,
            roleArn: target.roleArn,
          },
        },
        tx,
      );
      return toStorageTargetDto(target, null);
    });
  }

  /** Every document the studio applies, rendered with the target's values and the chosen options. */
  async setupKit(tenantId: string, targetId: string, query: SetupKitQuery): Promise<SetupKitResponse> {
    const target = await this.isolatedTarget(tenantId, targetId);
    if (this.config.platformTrustedPrincipalArns.length === 0) throw StorageTargetsException.setupKitUnavailable();
    const input: SetupKitInput = {
      platformPrincipalArns: this.config.platformTrustedPrincipalArns,
      externalId: target.externalId,
      bucket: target.bucket,
      prefix: target.prefix,
      region: target.region,
      roleArn: target.roleArn,
      webOrigins: this.config.webOrigins,
      deleteObjects: await this.repository.deleteObjectsEnabled(tenantId),
      transitionSourcesToIaAfterDays: query.transitionSourcesAfterDays,
      ...(query.sourceIps && query.sourceIps.length > 0 ? { restrictToSourceIps: query.sourceIps } : {}),
      ...(query.vpcEndpointId ? { restrictToVpcEndpointId: query.vpcEndpointId } : {}),
    };
    const documents = buildSetupKit(input);
    return {
      targetId: target.id,
      externalId: target.externalId,
      platformPrincipalArns: [...input.platformPrincipalArns],
      roleArn: target.roleArn,
      bucket: target.bucket,
      prefix: target.prefix,
      region: target.region,
      deleteObjects: input.deleteObjects,
      options: {
        transitionSourcesAfterDays: query.transitionSourcesAfterDays,
        sourceIps: [...(input.restrictToSourceIps ?? [])],
        vpcEndpointId: input.restrictToVpcEndpointId ?? null,
      },
      documents: documents as unknown as SetupKitResponse['documents'],
      cloudFormation: { template: await this.template.read(), parameters: cloudFormationParameters(input) },
      terraform: { moduleUsage: terraformModuleUsage(input) },
    };
  }

  /**
   * A new random ExternalId for a target that is not in use: `pending` stays `pending`, `verified`
   * goes back to `pending` (it was verified with the old value), `revoked` stays `revoked` (the
   * re-checks pick the new value up once the studio's trust policy names it). Refused (409) for an
   * `active` target — the studio must change its trust policy first, and until then every upload
   * would fail — and for a `retired` one. Audited; the broker forgets the target's cached credentials.
   */
  async regenerateExternalId(
    actor: Actor,
    tenantId: string,
    targetId: string,
    origin: RequestOrigin,
  ): Promise<RegenerateExternalIdResponse> {
    const updated = await this.repository.transaction(async (tx) => {
      const target = await this.isolatedTarget(tenantId, targetId, tx);
      if (target.status === 'active' || target.status === 'retired') throw StorageTargetsException.cannotRegenerate(target.status);
      const nextStatus = target.status === 'verified' ? 'pending' : target.status;
      const row = await this.repository.replaceExternalId(tx, target, generateExternalId(), nextStatus);
      // the status moved under us (e.g. activated meanwhile): answer with the new state
      if (!row) throw StorageTargetsException.cannotRegenerate((await this.isolatedTarget(tenantId, targetId, tx)).status);
      await this.audit.record(
        {
          tenantId,
          action: StorageTargetAuditAction.RegenerateExternalId,
          actor,
          storageTargetId: target.id,
          ...origin,
          details: { previousStatus: target.status, status: row.status },
        },
        tx,
      );
      return row;
    });
    this.broker.invalidate(updated.id);
    return { targetId: updated.id, externalId: updated.externalId, status: updated.status };
  }

  private async isolatedTarget(
    tenantId: string,
    targetId: string,
    tx?: Parameters<StorageTargetAdminRepository['findForTenant']>[2],
  ): Promise<StorageTarget> {
    const target = await this.repository.findForTenant(tenantId, targetId, tx);
    if (!target) throw StorageTargetsException.notFound();
    if (target.mode !== 'isolated') throw StorageTargetsException.notIsolated();
    return target;
  }
}
