import { Logger } from 'nestjs-pino';
import { probeDatabase } from '@isola/database';
import { AWS_DEFAULT_ENDPOINTS, exitOnStartupFailure, probeRedis, probeSts, runStartupChecks } from '@isola/runtime';
import { createWorkerApp } from './app.factory.js';
import { loadWorkerConfig } from './config/env.schema.js';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  if (config.startupChecks) {
    const sts = config.storage.stsEndpoint ?? AWS_DEFAULT_ENDPOINTS.sts(config.storage.region);
    await runStartupChecks('Isola worker', [
      ['database', () => probeDatabase(config.databaseUrl)],
      ['redis', () => probeRedis(config.redisUrl)],
      ['sts', () => probeSts(sts)],
    ]);
  }
  const app = await createWorkerApp(config);
  await app.init();
  app.get(Logger).log(`Isola worker ready (concurrency ${config.concurrency}, queue prefix ${config.queuePrefix})`);
}

main().catch(exitOnStartupFailure);
