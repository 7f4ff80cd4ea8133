/**
 * `work`, or a rejection after `ms`. Bull waits for Redis to come back rather than failing: a caller
 * that must not hang (a relay holding row locks, a polling pass a shutdown waits for) races it.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
