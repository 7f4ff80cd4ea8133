import pg from 'pg';
import type { DependencyStatus } from '@isola/contracts';
import { describeConnectionError, InvalidDatabaseUrlError, parseDatabaseUrl } from './database-url.js';

export type DatabaseCheck = { ok: true } | { ok: false; error: string };

export interface CheckDatabaseOptions {
  /** How long to wait for PostgreSQL to accept the connection (default 3 s). */
  timeoutMs?: number;
}

/**
 * Connects once and runs `select 1`. Never throws: failures come back as one human sentence naming
 * host:port and what to do, e.g. "PostgreSQL at 127.0.0.1:5999 refused the connection (ECONNREFUSED):
 * start PostgreSQL or fix DATABASE_URL". For health endpoints and start-up checks.
 */
export async function checkDatabase(url: string, opts: CheckDatabaseOptions = {}): Promise<DatabaseCheck> {
  let parts;
  try {
    parts = parseDatabaseUrl(url);
  } catch (e) {
    return { ok: false, error: e instanceof InvalidDatabaseUrlError ? e.message : String(e) };
  }
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection dropped by the server after connect is emitted as 'error': never crash the caller.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (e) {
    return { ok: false, error: describeConnectionError(e, parts) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** `checkDatabase` in the shape of the other dependency probes (health reports, start-up checks). */
export async function probeDatabase(url: string, opts: CheckDatabaseOptions = {}): Promise<DependencyStatus> {
  const start = Date.now();
  const result = await checkDatabase(url, opts);
  const latencyMs = Date.now() - start;
  return result.ok ? { status: 'up', latencyMs } : { status: 'down', latencyMs, error: result.error };
}
