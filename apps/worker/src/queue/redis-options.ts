import type { QueueOptions } from 'bull';

/** Bull's connection options from a `redis://[:password@]host:port/db` URL plus the key prefix. */
export function bullOptions(redisUrl: string, prefix: string): QueueOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    prefix,
    redis: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db,
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}
