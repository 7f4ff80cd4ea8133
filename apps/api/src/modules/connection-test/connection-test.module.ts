import { Module, type OnModuleDestroy } from '@nestjs/common';
import { AwsStsGateway, StsGateway } from '@isola/credentials';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { BucketInspector } from './bucket-inspector.port.js';
import { ConnectionTestController } from './connection-test.controller.js';
import { ConnectionTestRepository } from './connection-test.repository.js';
import { ConnectionTestService } from './connection-test.service.js';
import { S3BucketInspector } from './s3-bucket-inspector.adapter.js';

/**
 * POST /api/tenant/storage/targets/:id/verify. Uses the storage module's broker and object stores;
 * adds its own STS gateway (the API's platform principal: the AssumeRole WITHOUT ExternalId the
 * broker never makes) and the bucket inspector (bucket-level reads, CORS preflight).
 */
@Module({
  controllers: [ConnectionTestController],
  providers: [
    ConnectionTestService,
    ConnectionTestRepository,
    {
      provide: StsGateway,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => new AwsStsGateway({ principal: config.platformPrincipal }),
    },
    {
      provide: BucketInspector,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) =>
        new S3BucketInspector({ forcePathStyle: (target) => target.provider === 's3_compatible' || config.storage.forcePathStyle }),
    },
  ],
})
export class ConnectionTestModule implements OnModuleDestroy {
  constructor(private readonly sts: StsGateway) {}

  onModuleDestroy(): void {
    if (this.sts instanceof AwsStsGateway) this.sts.destroy();
  }
}
