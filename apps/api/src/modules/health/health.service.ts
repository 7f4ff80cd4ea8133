import { Inject, Injectable } from '@nestjs/common';
import { probeDatabase } from '@isola/database';
import { AWS_DEFAULT_ENDPOINTS, probeRedis, probeS3, probeSts } from '@isola/runtime';
import type { DependencyStatus, HealthResponse } from '@isola/contracts';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';

export const API_VERSION = '0.1.0';

/** Checks every server the API depends on; never assumes a role (DECISIONS.md). */
@Injectable()
export class HealthService {
  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  async check(): Promise<HealthResponse> {
    const { storage } = this.config;
    const [database, redis, s3, sts] = await Promise.all([
      probeDatabase(this.config.databaseUrl),
      probeRedis(this.config.redisUrl),
      probeS3(storage.s3Endpoint ?? AWS_DEFAULT_ENDPOINTS.s3(storage.region)),
      probeSts(storage.stsEndpoint ?? AWS_DEFAULT_ENDPOINTS.sts(storage.region)),
    ]);
    const checks = { database, redis, s3, sts };
    const allUp = Object.values(checks).every((c) => c.status === 'up');
    return { status: allUp ? 'ok' : 'degraded', version: API_VERSION, checks };
  }

  /** The start-up checks: the same probes, named for the error list. */
  startupChecks(): Array<readonly [string, () => Promise<DependencyStatus>]> {
    const { storage } = this.config;
    return [
      ['database', () => probeDatabase(this.config.databaseUrl)],
      ['redis', () => probeRedis(this.config.redisUrl)],
      ['s3', () => probeS3(storage.s3Endpoint ?? AWS_DEFAULT_ENDPOINTS.s3(storage.region))],
      ['sts', () => probeSts(storage.stsEndpoint ?? AWS_DEFAULT_ENDPOINTS.sts(storage.region))],
    ];
  }
}
