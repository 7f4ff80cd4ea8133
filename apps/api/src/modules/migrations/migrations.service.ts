import { Inject, Injectable } from '@nestjs/common';
import {
  HOSTED_TARGET_ALIAS,
  JobName,
  MigrationAuditAction,
  type ActivateTargetResponse,
  type MigrationDto,
  type MigrationListResponse,
} from '@isola/contracts';
import type { StorageTarget } from '@isola/database';
import type { Actor } from '../../common/auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestOrigin } from '../auth/auth.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { HOSTED_STORAGE, hostedPrefix, type HostedStorageSettings } from './hosted-storage.js';
import { MigrationsException } from './migrations.exception.js';
import { MigrationsRepository, type Tx } from './migrations.repository.js';
import { planActivation } from './plan-activation.js';
import { toMigrationDto, toTargetSummary } from './to-migration-dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_LIMIT = 50;
const FAILED_ITEMS_LIMIT = 100;

/**
 * The mode switch (issue 6): a tenant admin activates a verified target — hosted → isolated,
 * isolated → hosted, or isolated → another bucket. In ONE transaction, with the tenant row locked:
 * the new target becomes active (new uploads go there at once), the previous one steps back to
 * `verified` with its media still pointing at it, a Migration from the old target to the new one is
 * created with its `Storage.Migrate` job in the outbox, and `target.activate` + `migration.start`
 * are audited. The worker does the copying; progress is read back here.
 */
@Injectable()
export class MigrationsService {
  constructor(
    private readonly repository: MigrationsRepository,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    @Inject(HOSTED_STORAGE) private readonly hosted: HostedStorageSettings | null,
  ) {}

  async activate(actor: Actor, targetParam: string, origin: RequestOrigin): Promise<ActivateTargetResponse> {
    const tenantId = tenantOf(actor).id;
    const wantsHosted = targetParam === HOSTED_TARGET_ALIAS;
    if (!wantsHosted && !UUID.test(targetParam)) throw MigrationsException.targetNotFound();

    const { target, migrationId } = await this.repository.transaction(async (tx) => {
      const tenant = await this.repository.lockTenant(tx, tenantId);
      const target = wantsHosted
        ? await this.hostedTarget(tx, tenant)
        : await this.repository.findTarget(tx, tenantId, targetParam.toLowerCase());
      if (target === null) throw MigrationsException.targetNotFound();
      const previous = tenant.activeTargetId === null ? null : await this.repository.findTarget(tx, tenantId, tenant.activeTargetId);
      const decision = planActivation({
        target,
        active: previous,
        migrationInProgress: await this.repository.migrationInProgress(tx, tenantId),
        deleteObjectsEnabled: tenant.deleteObjectsEnabled,
      });
      if (decision.kind === 'refuse') throw MigrationsException.refused(decision.reason);

      const activated = await this.repository.activate(tx, tenantId, target.id, previous);
      let migrationId: string | null = null;
      if (decision.migrate && previous !== null) {
        const keptCopies = await this.repository.keepOldCopiesIn(tx, tenantId, target.id);
        const migration = await this.repository.createMigration(tx, {
          tenantId,
          fromTargetId: previous.id,
          toTargetId: target.id,
          deleteSources: decision.deleteSources,
          createdById: actor.userId,
        });
        migrationId = migration.id;
        await this.jobs.enqueue({ name: JobName.StorageMigrate, payload: { migrationId } }, { tx, correlationId: origin.correlationId });
        await this.audit.record(
          {
            tenantId,
            action: MigrationAuditAction.MigrationStart,
            actor,
            storageTargetId: target.id,
            ...auditOrigin(origin),
            details: {
              migrationId,
              fromTargetId: previous.id,
              toTargetId: target.id,
              deleteSources: decision.deleteSources,
              ...(keptCopies > 0 ? { oldCopiesKeptInTarget: keptCopies } : {}),
            },
          },
          tx,
        );
      }
      await this.audit.record(
        {
          tenantId,
          action: MigrationAuditAction.TargetActivate,
          actor,
          storageTargetId: target.id,
          ...auditOrigin(origin),
          details: { targetId: target.id, mode: target.mode, previousTargetId: previous?.id ?? null, migrationId },
        },
        tx,
      );
      return { target: activated, migrationId };
    });
    return {
      target: toTargetSummary(target),
      migration: migrationId === null ? null : await this.get(actor, migrationId, { withFailedItems: false }),
    };
  }

  async list(actor: Actor): Promise<MigrationListResponse> {
    const rows = await this.repository.list(tenantOf(actor).id, LIST_LIMIT);
    const counts = await this.repository.itemCounts(rows.map((r) => r.id));
    return { items: rows.map((r) => toMigrationDto(r, counts.get(r.id)!)) };
  }

  async get(actor: Actor, id: string, options: { withFailedItems?: boolean } = {}): Promise<MigrationDto> {
    const row = UUID.test(id) ? await this.repository.find(tenantOf(actor).id, id.toLowerCase()) : null;
    if (row === null) throw MigrationsException.migrationNotFound();
    const counts = await this.repository.itemCounts([row.id]);
    const failed = options.withFailedItems === false ? undefined : await this.repository.failedItems(row.id, FAILED_ITEMS_LIMIT);
    return toMigrationDto(row, counts.get(row.id)!, failed);
  }

  /**
   * The studio's hosted target: its existing one (any status but revoked: hosted targets need no
   * connection test), else a new one in the platform's bucket under `tenants/<slug>`.
   */
  private async hostedTarget(tx: Tx, tenant: { id: string; slug: string }): Promise<StorageTarget> {
    const existing = await this.repository.findHostedTarget(tx, tenant.id);
    if (existing !== null) return existing;
    if (this.hosted === null) throw MigrationsException.hostedUnavailable();
    return this.repository.createHostedTarget(tx, tenant.id, this.hosted, hostedPrefix(this.hosted, tenant.slug));
  }
}

function tenantOf(actor: Actor): NonNullable<Actor['tenant']> {
  // @Access('tenant-admin') guarantees a tenant; this keeps the type honest.
  if (actor.tenant === null) throw MigrationsException.targetNotFound();
  return actor.tenant;
}

function auditOrigin(origin: RequestOrigin): { ip: string; userAgent: string | null; correlationId: string | null } {
  return { ip: origin.ip, userAgent: origin.userAgent, correlationId: origin.correlationId };
}
