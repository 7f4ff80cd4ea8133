import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { Clock, SystemClock } from '@isola/runtime';
import { AppModule } from './app.module.js';
import { rejectNulCharacters } from './common/reject-nul.js';
import type { ApiConfig } from './config/env.schema.js';

/** Builds the API exactly as production runs it (tests use this too, with their own config and clock). */
export async function createApiApp(config: ApiConfig, clock: Clock = new SystemClock()): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, clock), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.disable('x-powered-by');
  app.use(helmet());
  app.useBodyParser('json', { limit: '1mb' });
  app.use(rejectNulCharacters);
  app.enableShutdownHooks();
  return app;
}
