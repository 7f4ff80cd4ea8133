// Pure helpers about DATABASE_URL and PostgreSQL connection failures.
//
// This file is also imported as TypeScript by scripts/migrate.mjs and scripts/ensure-db.mjs (Node 24
// strips the types), so it must stay dependency-free, use erasable syntax only and import nothing.

export interface DatabaseUrlParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `?schema=` (Prisma's convention); undefined = the server's search_path (public). */
  schema: string | undefined;
}

export class InvalidDatabaseUrlError extends Error {
  override readonly name = 'InvalidDatabaseUrlError';
}

/** Splits a `postgres://` / `postgresql://` URL into discrete pg connection fields. */
export function parseDatabaseUrl(url: string): DatabaseUrlParts {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidDatabaseUrlError(`DATABASE_URL is not a valid URL (expected postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new InvalidDatabaseUrlError(`DATABASE_URL must start with postgresql:// or postgres:// (got ${u.protocol}//)`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) {
    throw new InvalidDatabaseUrlError('DATABASE_URL names no database (postgresql://USER@HOST:PORT/DATABASE)');
  }
  // `?host=/var/run/postgresql` (unix socket directory) wins over the authority, as in libpq.
  const hostParam = u.searchParams.get('host');
  const host = hostParam ?? (u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost');
  const port = u.port ? Number(u.port) : 5432;
  return {
    host,
    port,
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password),
    database,
    schema: u.searchParams.get('schema') ?? undefined,
  };
}

/** `host:port` as people write it (`[::1]:5432` for IPv6, the socket directory for unix sockets). */
export function formatHostPort(parts: Pick<DatabaseUrlParts, 'host' | 'port'>): string {
  if (parts.host.startsWith('/')) return `${parts.host} (unix socket, port ${parts.port})`;
  return parts.host.includes(':') ? `[${parts.host}]:${parts.port}` : `${parts.host}:${parts.port}`;
}

/** The URL with its password replaced by `***`, safe for logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid DATABASE_URL>';
  }
}

/** Returns the URL with another database name (e.g. `postgres`, to create the one it names). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorLike;
  if (typeof e.code === 'string') return e.code;
  // Node's happy-eyeballs connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError.
  if (Array.isArray(e.errors))
    for (const inner of e.errors) {
      const code = errorCode(inner);
      if (code) return code;
    }
  return undefined;
}

function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && typeof (err as ErrorLike).message === 'string') {
    const msg = (err as ErrorLike).message as string;
    if (msg) return msg;
  }
  if (typeof err === 'object' && err !== null && Array.isArray((err as ErrorLike).errors)) {
    const first = ((err as ErrorLike).errors as unknown[])[0];
    if (first !== undefined) return errorMessage(first);
  }
  return String(err);
}

/**
 * One human sentence for a failed PostgreSQL connection: what happened, where, and what to do.
 * `err` is whatever `pg` threw (socket errors carry `code` = ECONNREFUSED…, server errors a SQLSTATE).
 */
export function describeConnectionError(err: unknown, target: Pick<DatabaseUrlParts, 'host' | 'port' | 'user' | 'database'>): string {
  const where = `PostgreSQL at ${formatHostPort(target)}`;
  const code = errorCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return `${where} refused the connection (ECONNREFUSED): start PostgreSQL or fix DATABASE_URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: host "${target.host}" could not be resolved (${code}): fix DATABASE_URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} could not be reached (${code}): start PostgreSQL or fix DATABASE_URL`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where} closed the connection (${code}): check that PostgreSQL is healthy and DATABASE_URL points at it`;
    case 'ENOENT':
      return `${where}: no PostgreSQL socket there (ENOENT): start PostgreSQL or fix DATABASE_URL`;
    case '3D000':
      return `${where} has no database "${target.database}" (3D000): create it (packages/database: pnpm run db:ensure) or fix DATABASE_URL`;
    case '28P01':
    case '28000':
      return `${where} rejected user "${target.user}" (${code}: ${errorMessage(err)}): fix the credentials in DATABASE_URL`;
    case '57P03':
      return `${where} is starting up or shutting down (57P03): retry in a moment`;
    case '53300':
      return `${where} has too many connections (53300): close idle clients or raise max_connections`;
    default:
      break;
  }
  const msg = errorMessage(err);
  if (/timeout/i.test(msg)) {
    return `${where} did not answer in time (${msg}): start PostgreSQL or fix DATABASE_URL`;
  }
  if (/Connection terminated unexpectedly/i.test(msg)) {
    return `${where} closed the connection (${msg}): check that PostgreSQL is healthy and DATABASE_URL points at it`;
  }
  return `${where}: ${msg}${code ? ` (${code})` : ''}`;
}
