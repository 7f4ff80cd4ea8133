import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { Clock, SystemClock } from '@isola/runtime';
import type { WorkerConfig } from './config/env.schema.js';
import { WorkerModule } from './worker.module.js';

/** The worker is a Nest application context: no HTTP, only queues and loops. */
export async function createWorkerApp(config: WorkerConfig, clock: Clock = new SystemClock()): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config, clock), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
