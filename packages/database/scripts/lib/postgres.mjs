// Connection helpers shared by migrate.mjs and ensure-db.mjs: a preflight that turns connection
// failures into one readable sentence, and "create the database if it is missing".
import pg from 'pg';
import { describeConnectionError, formatHostPort, InvalidDatabaseUrlError, parseDatabaseUrl } from '../../src/database-url.ts';

/** An error whose message is meant for people: print it without a stack trace and exit 1. */
export class UserFacingError extends Error {}

const CONNECT_TIMEOUT_MS = 5_000;

/** DATABASE_URL from the environment, parsed; UserFacingError when missing or malformed. */
export function databaseUrlFromEnv(env = process.env) {
  const url = env.DATABASE_URL;
  if (!url) {
    throw new UserFacingError('DATABASE_URL is not set: export it, e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/isola');
  }
  try {
    return { url, parts: parseDatabaseUrl(url) };
  } catch (e) {
    if (e instanceof InvalidDatabaseUrlError) throw new UserFacingError(e.message);
    throw e;
  }
}

async function withClient(parts, database, fn) {
  const client = new pg.Client({
    host: parts.host,
    port: parts.port,
    user: parts.user,
    password: parts.password,
    database,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A server-side disconnect after connect would otherwise be an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } catch (e) {
    throw new UserFacingError(describeConnectionError(e, { ...parts, database }), { cause: e });
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connects once to the database in `parts`; UserFacingError naming host:port when that fails. */
export async function preflight(parts) {
  await withClient(parts, parts.database, (c) => c.query('select 1'));
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * Creates the database named in `parts` when it does not exist (connects to the `postgres`
 * maintenance database to do so). Returns true when it created it.
 */
export async function ensureDatabase(parts) {
  return withClient(parts, 'postgres', async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [parts.database]);
    if (rowCount) return false;
    try {
      await client.query(`create database ${quoteIdent(parts.database)}`);
      return true;
    } catch (e) {
      if (e?.code === '42P04') return false; // created concurrently by someone else
      throw e;
    }
  });
}

export function where(parts) {
  return `${parts.database} at ${formatHostPort(parts)}`;
}

/** Runs `main`, printing UserFacingErrors as one line (no stack) and exiting 1. */
export function run(main) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (e) => {
      if (e instanceof UserFacingError) console.error(`error: ${e.message}`);
      else console.error(e);
      process.exit(1);
    },
  );
}
