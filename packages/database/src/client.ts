import { PrismaPg } from '@prisma/adapter-pg';
import { parseDatabaseUrl } from './database-url.js';
import { PrismaClient, type Prisma } from './generated/prisma/client.js';

export interface CreatePrismaClientOptions {
  /** Most connections the pg pool opens (default 5: the API and the worker each hold one pool). */
  poolSize?: number;
  /** Give up connecting after this long (default 5 s) instead of hanging a request. */
  connectionTimeoutMs?: number;
  /** Close idle pooled connections after this long (default 10 s). */
  idleTimeoutMs?: number;
  /** Shown in pg_stat_activity (e.g. `isola-api`, `isola-worker`). */
  applicationName?: string;
  /** Prisma log levels printed to stdout (default none). */
  log?: Prisma.LogLevel[];
  /** Called when an idle pooled connection fails (e.g. PostgreSQL restarted); default: ignored. */
  onPoolError?: (error: Error) => void;
}

/**
 * A PrismaClient over a small `pg` pool (driver adapter: no native engine). One per process; call
 * `$disconnect()` on shutdown. Throws InvalidDatabaseUrlError for a malformed URL; connecting is lazy
 * (use `checkDatabase` for a start-up check with a readable message).
 */
export function createPrismaClient(databaseUrl: string, opts: CreatePrismaClientOptions = {}): PrismaClient {
  const { schema } = parseDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: opts.poolSize ?? 5,
      connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
      idleTimeoutMillis: opts.idleTimeoutMs ?? 10_000,
      ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
    },
    {
      ...(schema ? { schema } : {}),
      ...(opts.onPoolError ? { onPoolError: opts.onPoolError } : {}),
    },
  );
  return new PrismaClient({ adapter, log: opts.log ?? [] });
}
