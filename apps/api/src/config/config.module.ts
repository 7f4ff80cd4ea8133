import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from '@isola/runtime';
import { API_CONFIG, type ApiConfig } from './env.schema.js';

/** Provides the validated configuration and the clock to every module. */
@Global()
@Module({})
export class ConfigModule {
  static register(config: ApiConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
      ],
      exports: [API_CONFIG, Clock],
    };
  }
}
