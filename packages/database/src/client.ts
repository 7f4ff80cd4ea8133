import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
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

/** The `pg` pool under each client made by `createPrismaClient`. */
const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * A PrismaClient over a small `pg` pool (driver adapter: no native engine). One per process; call
 * `$disconnect()` on shutdown (it ends the pool too). Throws InvalidDatabaseUrlError for a malformed
 * URL; connecting is lazy (use `checkDatabase` for a start-up check with a readable message).
 */
export function createPrismaClient(databaseUrl: string, opts: CreatePrismaClientOptions = {}): PrismaClient {
  const { schema } = parseDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: opts.poolSize ?? 5,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: opts.idleTimeoutMs ?? 10_000,
    ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
  });
  // an idle connection that fails (PostgreSQL restarted) must not crash the process
  const onPoolError = opts.onPoolError;
  pool.on('error', (error) => onPoolError?.(error));
  const adapter = new PrismaPg(pool, schema ? { schema } : {});
  const prisma = new PrismaClient({ adapter, log: opts.log ?? [] });
  // Prisma connects lazily and disposes only what it connected: the pool is ended here, either way
  const disconnect = prisma.$disconnect.bind(prisma);
  prisma.$disconnect = async () => {
    await disconnect();
    if (!pool.ending) await pool.end();
  };
  pools.set(prisma, pool);
  return prisma;
}

/**
 * The `pg` pool under a client made by `createPrismaClient` (undefined for any other client): for the
 * few hot reads that are one fixed SQL statement, where Prisma's own raw-query path costs about twice
 * the CPU of the query itself (`pool.query({ name, text, values })` also keeps it prepared per
 * connection). Same connections, same limits. Its SQL names tables unqualified: like the other raw SQL
 * here, it ignores a `?schema=` in the URL (Prisma's own queries honour it).
 */
export function sqlPoolOf(prisma: PrismaClient): pg.Pool | undefined {
  return pools.get(prisma);
}

/**
 * Rows of one fixed SQL statement (`$1`… parameters), through the client's own pool as a named
 * prepared statement (`sqlPoolOf`), or through Prisma's raw query when the client has no pool.
 * pg returns `bigint` columns as strings where Prisma returns `bigint`: read them with `BigInt(…)`.
 */
export async function queryRows<Row extends object>(
  prisma: PrismaClient,
  statement: { name: string; text: string },
  values: readonly unknown[],
): Promise<Row[]> {
  const pool = pools.get(prisma);
  if (pool === undefined) return prisma.$queryRawUnsafe<Row[]>(statement.text, ...values);
  return (await pool.query<Row>({ name: statement.name, text: statement.text, values: [...values] })).rows;
}
