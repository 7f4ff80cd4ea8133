import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { Clock, SystemClock } from '@isola/runtime';
import { AccessGuard } from './common/auth/access.guard.js';
import { ApiExceptionFilter } from './common/filters/api-exception.filter.js';
import { loggerOptions } from './common/logging/logger.options.js';
import { ConfigModule } from './config/config.module.js';
import type { ApiConfig } from './config/env.schema.js';
import { AuditLogModule } from './modules/audit-log/audit-log.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { ConnectionTestModule } from './modules/connection-test/connection-test.module.js';
import { DatabaseModule } from './modules/database/database.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';
import { MediaModule } from './modules/media/media.module.js';
import { MembersModule } from './modules/members/members.module.js';
import { MigrationsModule } from './modules/migrations/migrations.module.js';
import { NoticesModule } from './modules/notices/notices.module.js';
import { OpenApiModule } from './modules/openapi/openapi.module.js';
import { StorageModule } from './modules/storage/storage.module.js';
import { StorageTargetsModule } from './modules/storage-targets/storage-targets.module.js';
import { SupportModule } from './modules/support/support.module.js';
import { UploadsModule } from './modules/uploads/uploads.module.js';
import { UsageModule } from './modules/usage/usage.module.js';

@Module({})
export class AppModule {
  static register(config: ApiConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, clock),
        LoggerModule.forRoot(loggerOptions(config)),
        DatabaseModule,
        AuditModule,
        AuthModule,
        JobsModule,
        StorageModule,
        StorageTargetsModule,
        ConnectionTestModule,
        HealthModule,
        UploadsModule,
        MediaModule,
        MigrationsModule,
        NoticesModule,
        AuditLogModule,
        SupportModule,
        UsageModule,
        MembersModule,
        OpenApiModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
