import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { HOSTED_STORAGE, hostedStorageFrom } from './hosted-storage.js';
import { MigrationsController, TargetActivationController } from './migrations.controller.js';
import { MigrationsRepository } from './migrations.repository.js';
import { MigrationsService } from './migrations.service.js';

/** Storage-mode switch (activate a target → migration job) and migration progress. */
@Module({
  imports: [JobsModule],
  controllers: [TargetActivationController, MigrationsController],
  providers: [
    MigrationsRepository,
    MigrationsService,
    { provide: HOSTED_STORAGE, inject: [API_CONFIG], useFactory: (config: ApiConfig) => hostedStorageFrom(config) },
  ],
})
export class MigrationsModule {}
