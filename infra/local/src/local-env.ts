import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A static key pair of one RGW user. */
export interface LocalCredentials {
  /** The RGW user id; its ARN is `arn:aws:iam:::user/<userId>`. */
  readonly userId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The local stack's fixed names and identities (infra/local/local.env, overridden by process.env). */
export interface LocalStackEnv {
  /** Where ceph-up.sh keeps the cluster (`<stackDir>/ceph`: conf, logs, PID files). */
  readonly stackDir: string;
  /** RGW's S3/STS/IAM endpoint, always http://127.0.0.1:<port>. */
  readonly endpoint: string;
  readonly region: string;
  /** Provisioning identity (caps roles, users, buckets). Only infra/local and tests use it. */
  readonly admin: LocalCredentials;
  /** The API's platform principal: AssumeRole only. */
  readonly api: LocalCredentials;
  /** The worker's platform principal: AssumeRole only. */
  readonly worker: LocalCredentials;
  /** Hosted storage: the platform's bucket and the platform-owned role assumed for hosted tenants. */
  readonly hosted: { readonly bucket: string; readonly roleName: string };
  readonly demo: {
    /** The seeded isolated studio (its own bucket and role). */
    readonly isolated: { readonly slug: string; readonly bucket: string; readonly roleName: string };
    /** The seeded hosted studio (lives in the hosted bucket). */
    readonly hosted: { readonly slug: string };
  };
  /** Origins the demo buckets' CORS allows (the web app). */
  readonly webOrigins: string[];
}

/** local.env next to the package: `../local.env` from both src/ and dist/. */
export const LOCAL_ENV_FILE = fileURLToPath(new URL('../local.env', import.meta.url));

const REQUIRED_KEYS = [
  'LOCAL_STACK_DIR',
  'S3_ENDPOINT',
  'S3_REGION',
  'LOCAL_ADMIN_USER',
  'LOCAL_ADMIN_ACCESS_KEY_ID',
  'LOCAL_ADMIN_SECRET_ACCESS_KEY',
  'API_PLATFORM_USER',
  'API_PLATFORM_ACCESS_KEY_ID',
  'API_PLATFORM_SECRET_ACCESS_KEY',
  'WORKER_PLATFORM_USER',
  'WORKER_PLATFORM_ACCESS_KEY_ID',
  'WORKER_PLATFORM_SECRET_ACCESS_KEY',
  'HOSTED_BUCKET',
  'HOSTED_ROLE_NAME',
  'DEMO_ISOLATED_SLUG',
  'DEMO_ISOLATED_BUCKET',
  'DEMO_ISOLATED_ROLE_NAME',
  'DEMO_HOSTED_SLUG',
  'WEB_ORIGINS',
] as const;
type RequiredKey = (typeof REQUIRED_KEYS)[number];

/**
 * Parses `KEY=VALUE` lines: `#` starts a comment line, blank lines are skipped, values are taken
 * verbatim (no quotes, no expansion) — the same rules lib/ceph-stack.sh applies, so the shell
 * scripts and this loader always agree.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) out[match[1]] = match[2] ?? '';
  }
  return out;
}

export interface LoadLocalEnvOptions {
  /** Defaults to infra/local/local.env. */
  readonly file?: string;
  /** Values that override the file; defaults to process.env. */
  readonly overrides?: Readonly<Record<string, string | undefined>>;
}

/** Reads infra/local/local.env; variables set in process.env win. Throws listing every missing key. */
export function loadLocalEnv(options: LoadLocalEnvOptions = {}): LocalStackEnv {
  const file = options.file ?? LOCAL_ENV_FILE;
  const fromFile = parseEnvFile(readFileSync(file, 'utf8'));
  const overrides = options.overrides ?? process.env;
  const value = (key: RequiredKey): string => overrides[key] ?? fromFile[key] ?? '';

  const missing = REQUIRED_KEYS.filter((key) => value(key).trim() === '');
  if (missing.length > 0) throw new Error(`local stack env (${file}): missing ${missing.join(', ')}`);

  const endpoint = value('S3_ENDPOINT').replace(/\/+$/, '');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) {
    throw new Error(`local stack env: S3_ENDPOINT must be http://127.0.0.1:<port> (got ${JSON.stringify(endpoint)})`);
  }
  const credentials = (prefix: 'LOCAL_ADMIN' | 'API_PLATFORM' | 'WORKER_PLATFORM'): LocalCredentials => ({
    userId: value(`${prefix}_USER`),
    accessKeyId: value(`${prefix}_ACCESS_KEY_ID`),
    secretAccessKey: value(`${prefix}_SECRET_ACCESS_KEY`),
  });

  return {
    stackDir: value('LOCAL_STACK_DIR'),
    endpoint,
    region: value('S3_REGION'),
    admin: credentials('LOCAL_ADMIN'),
    api: credentials('API_PLATFORM'),
    worker: credentials('WORKER_PLATFORM'),
    hosted: { bucket: value('HOSTED_BUCKET'), roleName: value('HOSTED_ROLE_NAME') },
    demo: {
      isolated: {
        slug: value('DEMO_ISOLATED_SLUG'),
        bucket: value('DEMO_ISOLATED_BUCKET'),
        roleName: value('DEMO_ISOLATED_ROLE_NAME'),
      },
      hosted: { slug: value('DEMO_HOSTED_SLUG') },
    },
    webOrigins: value('WEB_ORIGINS')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  };
}
