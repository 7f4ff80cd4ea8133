/** PostgreSQL and driver codes that mean "the database cannot be reached right now", not "this query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'P1001', // Prisma: can't reach database server
  'P1002', // Prisma: database server timed out
  'P1017', // Prisma: server closed the connection
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000', // connection_exception
  '08001',
  '08003',
  '08006',
]);
const UNAVAILABLE_MESSAGE =
  /Can't reach database|ECONNREFUSED|Connection terminated|connection (?:is )?closed|terminating connection due to administrator command|the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections)|DatabaseNotReachable|connect ECONN|Code: `(?:57P0[123]|08\d{3})`/i;

/**
 * True when `error` (or one of its causes) says PostgreSQL is unreachable or restarting: the request
 * may be retried as it is. Prisma wraps driver errors differently per path, so the whole cause chain
 * is read: names, codes and the well-known messages.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === 'object' && depth < 6; depth += 1) {
    const e = current as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
    if (e.name === 'PrismaClientInitializationError') return true;
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (e.kind === 'DatabaseNotReachable' || e.kind === 'ConnectionClosed') return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}
