import { Redis } from 'ioredis';
import type { DependencyStatus } from '@isola/contracts';

/**
 * Reachability probes for the servers Isola depends on. They never authenticate to storage and never
 * assume a role (DECISIONS.md): S3 counts as up when it answers HTTP at all, STS when an
 * unauthenticated call gets an AWS-style error document back. Each returns a human sentence naming
 * what to fix, used by both /api/health and the start-up checks.
 */

const elapsed = (start: bigint) => Number((process.hrtime.bigint() - start) / 1_000_000n);

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED') return 'refused the connection (ECONNREFUSED)';
  if (code === 'ENOTFOUND') return 'host not found (ENOTFOUND)';
  if (code === 'ETIMEDOUT' || (error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError')
    return 'did not answer in time';
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return url;
  }
}

export async function probeRedis(redisUrl: string, timeoutMs = 2000): Promise<DependencyStatus> {
  const start = process.hrtime.bigint();
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let socketError: unknown; // ioredis rejects with "Connection is closed"; the cause comes as an event
  client.on('error', (error: unknown) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
    return { status: 'up', latencyMs: elapsed(start) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: elapsed(start),
      error: `Redis at ${hostOf(redisUrl)} ${describeNetworkError(socketError ?? error)}: start Redis or fix REDIS_URL`,
    };
  } finally {
    client.disconnect();
  }
}

/** AWS S3 answers `GET /` without credentials with an XML error (or a bucket list when signed). */
export async function probeS3(endpoint: string, timeoutMs = 2000): Promise<DependencyStatus> {
  const start = process.hrtime.bigint();
  try {
    const res = await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (res.status >= 500) throw new Error(`answered HTTP ${res.status}`);
    return { status: 'up', latencyMs: elapsed(start) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: elapsed(start),
      error: `S3 endpoint ${endpoint} ${describeNetworkError(error)}: start the local stack (infra/local/ceph-up.sh) or fix S3_ENDPOINT`,
    };
  }
}

/**
 * STS is reachable when an unsigned AssumeRole is refused with an AWS-style error document
 * (`<ErrorResponse>` on AWS, `<Error>` on Ceph RGW). No role is assumed.
 */
export async function probeSts(endpoint: string, timeoutMs = 2000): Promise<DependencyStatus> {
  const start = process.hrtime.bigint();
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRole&Version=2011-06-15',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    if (res.status >= 500) throw new Error(`answered HTTP ${res.status}`);
    if (!/<(ErrorResponse|Error)[\s>]/.test(body)) throw new Error(`answered HTTP ${res.status} without an AWS error document`);
    return { status: 'up', latencyMs: elapsed(start) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: elapsed(start),
      error: `STS endpoint ${endpoint} ${describeNetworkError(error)}: start the local stack (infra/local/ceph-up.sh) or fix STS_ENDPOINT`,
    };
  }
}

export const AWS_DEFAULT_ENDPOINTS = {
  s3: (region: string) => `https://s3.${region}.amazonaws.com`,
  sts: (region: string) => `https://sts.${region}.amazonaws.com`,
};
