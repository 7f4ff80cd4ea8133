import { Global, Module } from '@nestjs/common';
import { AwsStsGateway, CredentialBroker, CredentialEvents, LinkSigner, StsCredentialBroker, StsGateway } from '@isola/credentials';
import { Clock } from '@isola/runtime';
import { ObjectStoreFactory, S3ObjectStoreFactory } from '@isola/tenant-storage';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { ApiCredentialEvents } from './api-credential-events.js';
import { StorageTargetsRepository } from './storage-targets.repository.js';
import { TargetRecheckController } from './target-recheck.controller.js';
import { TargetRecheckService } from './target-recheck.service.js';

/**
 * The one way the API reaches storage: the broker (AssumeRole with the API's platform principal and a
 * per-purpose session policy), the object store factory (presigning and S3 calls with those scoped
 * credentials) and the link signer. Hosted and isolated tenants go through the same path.
 * Also the revocation side of a target: the broker's events mark it revoked/restored
 * (ApiCredentialEvents) and a tenant admin can ask for a re-check (TargetRecheckController).
 */
@Global()
@Module({
  controllers: [TargetRecheckController],
  providers: [
    StorageTargetsRepository,
    TargetRecheckService,
    { provide: CredentialEvents, useClass: ApiCredentialEvents },
    {
      provide: StsGateway,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => new AwsStsGateway({ principal: config.platformPrincipal }),
    },
    {
      provide: CredentialBroker,
      inject: [StsGateway, Clock, CredentialEvents, API_CONFIG],
      useFactory: (gateway: StsGateway, clock: Clock, events: CredentialEvents, config: ApiConfig) =>
        new StsCredentialBroker(gateway, clock, events, {
          linkLifetimeSeconds: config.linkLifetimeSeconds,
          // An explicit STS_ENDPOINT wins (AWS: unset → the SDK's regional endpoint; RGW: the target's own).
          ...(config.storage.stsEndpoint ? { stsEndpoint: () => config.storage.stsEndpoint } : {}),
        }),
    },
    {
      provide: ObjectStoreFactory,
      inject: [Clock, API_CONFIG],
      useFactory: (clock: Clock, config: ApiConfig) =>
        new S3ObjectStoreFactory({
          clock,
          forcePathStyle: (target) => target.provider === 's3_compatible' || config.storage.forcePathStyle,
        }),
    },
    {
      provide: LinkSigner,
      inject: [CredentialBroker, ObjectStoreFactory, Clock, API_CONFIG],
      useFactory: (broker: CredentialBroker, stores: ObjectStoreFactory, clock: Clock, config: ApiConfig) =>
        new LinkSigner(broker, stores, clock, { linkLifetimeSeconds: config.linkLifetimeSeconds }),
    },
  ],
  exports: [StorageTargetsRepository, CredentialBroker, ObjectStoreFactory, LinkSigner],
})
export class StorageModule {}
