import { Module } from '@nestjs/common';
import { CloudFormationTemplate } from './cloudformation-template.js';
import { StorageTargetAdminRepository } from './storage-target-admin.repository.js';
import { StorageTargetsController } from './storage-targets.controller.js';
import { StorageTargetsService } from './storage-targets.service.js';

/** GET|POST /api/tenant/storage/targets, …/:id/setup-kit, …/:id/external-id (the broker comes from StorageModule). */
@Module({
  controllers: [StorageTargetsController],
  providers: [StorageTargetsService, StorageTargetAdminRepository, CloudFormationTemplate],
})
export class StorageTargetsModule {}
