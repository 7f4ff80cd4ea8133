import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AwsStsGateway, CredentialBroker, CredentialEvents, StsCredentialBroker, StsGateway } from '@isola/credentials';
import { Clock } from '@isola/runtime';
import { ObjectStoreFactory, S3ObjectStoreFactory } from '@isola/tenant-storage';
import { WORKER_CONFIG, type WorkerConfig } from '../config/env.schema.js';
import { WorkerCredentialEvents } from './worker-credential-events.js';

/**
 * The one way the worker reaches storage, as in the API but with the WORKER's platform principal:
 * the broker (AssumeRole with a per-purpose session policy) and the object store factory
 * (presigning and S3 calls with those scoped credentials).
 */
@Global()
@Module({
  providers: [
    { provide: CredentialEvents, useClass: WorkerCredentialEvents },
    {
      provide: StsGateway,
      inject: [WORKER_CONFIG],
      useFactory: (config: WorkerConfig) => new AwsStsGateway({ principal: config.platformPrincipal }),
    },
    {
      provide: CredentialBroker,
      inject: [StsGateway, Clock, CredentialEvents, WORKER_CONFIG],
      useFactory: (gateway: StsGateway, clock: Clock, events: CredentialEvents, config: WorkerConfig) =>
        new StsCredentialBroker(gateway, clock, events, {
          durations: { transcode: config.transcode.credentialMaxSeconds },
          // An explicit STS_ENDPOINT wins (AWS: unset → the SDK's regional endpoint; RGW: the target's own).
          ...(config.storage.stsEndpoint ? { stsEndpoint: () => config.storage.stsEndpoint } : {}),
        }),
    },
    {
      provide: ObjectStoreFactory,
      inject: [Clock, WORKER_CONFIG],
      useFactory: (clock: Clock, config: WorkerConfig) =>
        new S3ObjectStoreFactory({
          clock,
          forcePathStyle: (target) => target.provider === 's3_compatible' || config.storage.forcePathStyle,
        }),
    },
  ],
  exports: [CredentialBroker, ObjectStoreFactory],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** Closes the SDK clients' sockets. */
  onApplicationShutdown(): void {
    const gateway = this.moduleRef.get(StsGateway, { strict: false });
    if (gateway instanceof AwsStsGateway) gateway.destroy();
    const stores = this.moduleRef.get(ObjectStoreFactory, { strict: false });
    if (stores instanceof S3ObjectStoreFactory) stores.destroy();
  }
}
