#!/usr/bin/env node
/**
 * node dist/cli.js provision   create/update the demo buckets and roles (idempotent); prints no secrets
 * node dist/cli.js wait [--timeout SECONDS]   wait until RGW answers on S3_ENDPOINT (default 60 s)
 * node dist/cli.js seed        seed the demo tenants and users into DATABASE_URL (password: DEMO_PASSWORD)
 */
import { join } from 'node:path';
import { loadLocalEnv } from './local-env.js';
import { LocalStackAdmin, waitForRgw } from './rgw-admin.js';
import { DEFAULT_DEMO_PASSWORD, seedLocalDemo } from './seed-demo.js';
import { provisionDemo } from './studios.js';

const USAGE = 'usage: node dist/cli.js provision | seed | wait [--timeout SECONDS]';

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const env = loadLocalEnv();
  switch (command) {
    case 'wait': {
      const timeoutSeconds = parseTimeout(rest);
      await waitForRgw(env.endpoint, { timeoutMs: timeoutSeconds * 1000 });
      console.log(`[local-stack] RGW answers on ${env.endpoint}`);
      return 0;
    }
    case 'provision': {
      await waitForRgw(env.endpoint, { timeoutMs: 10_000 });
      const admin = new LocalStackAdmin(env);
      try {
        const started = Date.now();
        const result = await provisionDemo(admin);
        const trusted = admin.platformPrincipalArns().join(', ');
        console.log(`[local-stack] provisioned on ${env.endpoint} in ${Date.now() - started} ms`);
        console.log(`  hosted    bucket ${result.hosted.bucket}  role ${result.hosted.roleArn}`);
        console.log(`  ${env.demo.isolated.slug.padEnd(9)} bucket ${result.isolated.bucket}  role ${result.isolated.roleArn}`);
        console.log(`  roles trusted by ${trusted}; CORS origins ${env.webOrigins.join(', ')}`);
        return 0;
      } finally {
        admin.destroy();
      }
    }
    case 'seed': {
      const databaseUrl = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/isola';
      const result = await seedLocalDemo(env, databaseUrl, process.env['DEMO_PASSWORD'] ?? DEFAULT_DEMO_PASSWORD);
      console.log(`[local-stack] seeded ${result.tenants.length} tenants and ${result.users.length} users`);
      for (const t of result.tenants) console.log(`  ${t.slug.padEnd(9)} ${t.name} (${t.mode})`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

function parseTimeout(args: readonly string[]): number {
  if (args.length === 0) return 60;
  const [flag, value] = args;
  const seconds = Number(value);
  if (flag !== '--timeout' || !Number.isFinite(seconds) || seconds <= 0 || args.length > 2) {
    throw new UsageError(`bad arguments ${JSON.stringify(args.join(' '))}; ${USAGE}`);
  }
  return seconds;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    console.error(`[local-stack] failed: ${message}${status === undefined ? '' : ` (HTTP ${status})`}`);
    try {
      console.error(`[local-stack] logs: ${join(loadLocalEnv().stackDir, 'ceph', 'log')}`);
    } catch {
      // the env itself is what failed; its message above says why
    }
    process.exitCode = 1;
  },
);
