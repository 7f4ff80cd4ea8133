import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, PrismaClient } from '@isola/database';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';

/** One Prisma client for the app (adapter-pg pool), closed on shutdown. Injected as `PrismaClient`. */
@Global()
@Module({
  providers: [
    {
      provide: PrismaClient,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => createPrismaClient(config.databaseUrl),
    },
  ],
  exports: [PrismaClient],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PrismaClient) private readonly prisma: PrismaClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
