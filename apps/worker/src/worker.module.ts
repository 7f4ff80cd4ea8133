import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import { LoggerModule } from 'nestjs-pino';
import { QueueName } from '@isola/contracts';
import { createPrismaClient, PrismaClient } from '@isola/database';
import { Clock, SystemClock } from '@isola/runtime';
import { WORKER_CONFIG, type WorkerConfig } from './config/env.schema.js';
import { MigrationModule } from './migration/migration.module.js';
import { OutboxRelayService } from './outbox/outbox-relay.service.js';
import { OutboxRepository } from './outbox/outbox.repository.js';
import { bullOptions } from './queue/redis-options.js';
import { MediaReconcilerService } from './reconciler/media-reconciler.service.js';
import { ReconcilerRepository } from './reconciler/reconciler.repository.js';
import { RevocationModule } from './revocation/revocation.module.js';
import { StorageModule } from './storage/storage.module.js';
import { SystemProcessor } from './system/system.processor.js';
import { TranscodingModule } from './transcoding/transcoding.module.js';

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
        { provide: PrismaClient, useFactory: () => createPrismaClient(config.databaseUrl, { applicationName: 'isola-worker' }) },
        OutboxRepository,
      ],
      exports: [WORKER_CONFIG, Clock, PrismaClient, OutboxRepository],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

/** Every queue, once, for every module of the worker (a second registerQueue would open a second Queue). */
@Global()
@Module({})
class QueuesModule {
  static register(): DynamicModule {
    const queues = BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name })));
    return { module: QueuesModule, imports: [queues], exports: [queues] };
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
        BullModule.forRoot({
          ...bullOptions(config.redisUrl, config.queuePrefix),
          settings: { lockDuration: config.queue.lockDurationMs, stalledInterval: config.queue.stalledIntervalMs },
        }),
        QueuesModule.register(),
        StorageModule,
        TranscodingModule,
        RevocationModule,
        MigrationModule,
      ],
      providers: [OutboxRelayService, SystemProcessor, MediaReconcilerService, ReconcilerRepository],
    };
  }
}
