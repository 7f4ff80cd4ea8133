// @isola/database: the Prisma schema's generated client and types, a factory for it, and a
// connection check. Factories and the demo seed live in the `@isola/database/seed` subpath.
export * from './generated/prisma/client.js';
export { createPrismaClient, queryRows, sqlPoolOf, type CreatePrismaClientOptions } from './client.js';
export { checkDatabase, probeDatabase, type CheckDatabaseOptions, type DatabaseCheck } from './check-database.js';
export {
  describeConnectionError,
  formatHostPort,
  InvalidDatabaseUrlError,
  parseDatabaseUrl,
  redactDatabaseUrl,
  withDatabase,
  type DatabaseUrlParts,
} from './database-url.js';
export { EXTERNAL_ID_LENGTH, generateExternalId } from './external-id.js';
export * from './storage-status.js';
export * from './storage-status-events.js';
