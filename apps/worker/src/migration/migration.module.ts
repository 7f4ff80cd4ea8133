import { Module } from '@nestjs/common';
import { MigrationProcessor } from './migration.processor.js';
import { MigrationRecoveryService } from './migration-recovery.service.js';
import { MigrationRepository } from './migration.repository.js';
import { MigrationService } from './migration.service.js';
import { MigrationStores } from './migration-stores.service.js';

/** Storage.Migrate: copy a studio's media to its newly active target, switch pointers, delete old copies later. */
@Module({
  providers: [MigrationRepository, MigrationStores, MigrationService, MigrationProcessor, MigrationRecoveryService],
  exports: [MigrationService, MigrationRecoveryService],
})
export class MigrationModule {}
