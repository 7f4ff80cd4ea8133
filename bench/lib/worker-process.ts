// The real worker process (apps/worker/dist/main.js) for the benchmarks, on the bench database and
// Redis DB, with the local stack's worker principal; production defaults otherwise.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { loadLocalEnv } from '../../infra/local/dist/index.js';
import { BENCH_DATABASE_URL, BENCH_REDIS_URL, ROOT } from './isola-api.ts';

export const WORKER_MAIN = join(ROOT, 'apps/worker/dist/main.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** The last 8,000 characters the worker logged. */
  tail(): string;
  stop(): Promise<void>;
}

export function startWorker(
  env: ReturnType<typeof loadLocalEnv>,
  options: { queuePrefix: string; scratchDir: string; extraEnv?: Record<string, string> },
): WorkerProcess {
  if (!existsSync(WORKER_MAIN)) throw new Error('build the worker first: pnpm turbo run build --filter=@isola/worker...');
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>) };
  delete childEnv['NODE_OPTIONS'];
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      ...childEnv,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: BENCH_DATABASE_URL,
      REDIS_URL: BENCH_REDIS_URL,
      QUEUE_PREFIX: options.queuePrefix,
      S3_ENDPOINT: env.endpoint,
      S3_REGION: env.region,
      WORKER_PLATFORM_ACCESS_KEY_ID: env.worker.accessKeyId,
      WORKER_PLATFORM_SECRET_ACCESS_KEY: env.worker.secretAccessKey,
      WORKER_PLATFORM_PRINCIPAL_ARN: `arn:aws:iam:::user/${env.worker.userId}`,
      STARTUP_CHECKS: 'false',
      WORKER_SCRATCH_DIR: options.scratchDir,
      ...options.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const onData = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-8000));
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    tail: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
