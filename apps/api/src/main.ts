import { Logger } from 'nestjs-pino';
import { exitOnStartupFailure, runStartupChecks } from '@isola/runtime';
import { createApiApp } from './app.factory.js';
import { loadApiConfig } from './config/env.schema.js';
import { HealthService } from './modules/health/health.service.js';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApiApp(config);
  if (config.startupChecks) await runStartupChecks('Isola API', app.get(HealthService).startupChecks());
  await app.listen(config.port, config.host);
  app.get(Logger).log(`Isola API listening on http://${config.host}:${config.port}/api`);
}

main().catch(exitOnStartupFailure);
