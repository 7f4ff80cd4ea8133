import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { Clock, SystemClock } from '@isola/runtime';
import { ApiExceptionFilter } from './common/filters/api-exception.filter.js';
import { loggerOptions } from './common/logging/logger.options.js';
import { ConfigModule } from './config/config.module.js';
import type { ApiConfig } from './config/env.schema.js';
import { DatabaseModule } from './modules/database/database.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';

@Module({})
export class AppModule {
  static register(config: ApiConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.register(config, clock),
        LoggerModule.forRoot(loggerOptions(config)),
        DatabaseModule,
        JobsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
    };
  }
}
