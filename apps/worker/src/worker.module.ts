import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { LoggerModule } from 'nestjs-pino';
import { QueueName } from '@isola/contracts';
import { createPrismaClient, PrismaClient } from '@isola/database';
import { Clock, SystemClock } from '@isola/runtime';
import { WORKER_CONFIG, type WorkerConfig } from './config/env.schema.js';
import { OutboxRelayService } from './outbox/outbox-relay.service.js';
import { OutboxRepository } from './outbox/outbox.repository.js';
import { bullOptions } from './queue/redis-options.js';
import { SystemProcessor } from './system/system.processor.js';

@Global()
@Module({})
class WorkerCoreModule implements OnApplicationShutdown {
  constructor(@Inject(PrismaClient) private readonly prisma: PrismaClient) {}

  static register(config: WorkerConfig, clock: Clock): DynamicModule {
    return {
      module: WorkerCoreModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: PrismaClient, useFactory: () => createPrismaClient(config.databaseUrl) },
      ],
      exports: [WORKER_CONFIG, Clock, PrismaClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

/** The worker: every background job of Isola runs here (DECISIONS.md). */
@Module({})
export class WorkerModule {
  static register(config: WorkerConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        WorkerCoreModule.register(config, clock),
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        BullModule.forRoot(bullOptions(config.redisUrl, config.queuePrefix)),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      providers: [OutboxRepository, OutboxRelayService, SystemProcessor],
    };
  }
}
