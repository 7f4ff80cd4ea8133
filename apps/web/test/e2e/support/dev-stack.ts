import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../../../', import.meta.url));

/** What a test file needs to know of the stack (plain data: the global setup hands it to every file). */
export interface DevStackInfo {
  /** The web app's origin, e.g. http://localhost:5191 (it proxies /api to the API). */
  readonly webUrl: string;
  readonly apiUrl: string;
  /** The local RGW (S3 + STS): where media bytes must go. */
  readonly s3Url: string;
  readonly password: string;
  /** This stack's database (its demo tenants; tests add throwaway ones). */
  readonly databaseUrl: string;
  /** Its hosted storage: the platform's bucket and role for this stack. */
  readonly hostedBucket: string;
  readonly hostedRoleName: string;
  /** The folder holding its PID files and logs. */
  readonly state: string;
}

/** One whole Isola (API, worker, web dev server) started by `scripts/dev.sh --detach` for the browser tests. */
export interface DevStack extends DevStackInfo {
  /** Last lines of the API, worker and web logs (printed when a test fails). */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

function tailLogs(state: string, lines = 40): string {
  return ['api', 'worker', 'web']
    .map((log) => {
      const file = join(state, 'logs', `${log}.log`);
      const text = existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
      return `--- ${log}.log\n${text}`;
    })
    .join('\n');
}

/** The stack the global setup started, for a test file (which neither starts nor stops it). */
export function attachDevStack(info: DevStackInfo): DevStack {
  return { ...info, tail: (lines) => tailLogs(info.state, lines), stop: async () => undefined };
}

export interface DevStackOptions {
  apiPort: number;
  webPort: number;
  /** Names this stack's database, buckets and roles. */
  name: string;
}

/**
 * Starts the README's run command on its own ports, database, Redis DB, buckets and roles, so neither a
 * developer's running stack nor the demo buckets' CORS are touched:
 *   - WEB_ORIGINS: the API's CSRF check and `provision`'s bucket CORS allow this stack's web origin only;
 *   - HOSTED_BUCKET / DEMO_ISOLATED_BUCKET (and their roles): `provision` and `seed` point this stack's
 *     demo tenants at buckets of its own, whose CORS it may set;
 *   - REDIS_URL: its own Redis DB, so its jobs and login throttling never meet another stack's.
 */
export async function startDevStack({ apiPort, webPort, name }: DevStackOptions): Promise<DevStack> {
  // ISOLA_WEB_E2E_ATTACH=<state folder>: while writing tests, use a stack already started with these settings
  // (scripts/dev.sh --detach with this env) and leave it running.
  const attach = process.env['ISOLA_WEB_E2E_ATTACH'];
  const state = attach ?? mkdtempSync(join(tmpdir(), `${name}-`));
  const webUrl = `http://localhost:${webPort}`;
  const password = 'isola-demo';
  const database = name.replaceAll('-', '_');
  const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${database}`;
  const info: DevStackInfo = {
    webUrl,
    apiUrl: `http://127.0.0.1:${apiPort}/api`,
    s3Url: 'http://127.0.0.1:7480',
    password,
    databaseUrl,
    hostedBucket: `${name}-hosted`,
    hostedRoleName: `${name}-hosted-access`,
    state,
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(apiPort),
    WEB_PORT: String(webPort),
    DATABASE_URL: databaseUrl,
    ISOLA_DEV_STATE: state,
    WEB_ORIGINS: webUrl,
    HOSTED_BUCKET: info.hostedBucket,
    HOSTED_ROLE_NAME: info.hostedRoleName,
    DEMO_ISOLATED_BUCKET: `${name}-aurora`,
    DEMO_ISOLATED_ROLE_NAME: `${name}-aurora-access`,
    REDIS_URL: process.env['ISOLA_WEB_E2E_REDIS_URL'] ?? 'redis://127.0.0.1:6379/14',
    DEMO_PASSWORD: password,
  };
  const tail = (lines = 40) => tailLogs(state, lines);
  const stop = async () => {
    await run('bash', ['scripts/dev.sh', 'stop'], { cwd: root, env, timeout: 60_000 });
    rmSync(state, { recursive: true, force: true });
  };
  if (attach) return attachDevStack(info);
  try {
    // A fresh database each run (dev.sh creates, migrates and seeds it), so the library holds this run's media only.
    await run('dropdb', ['--if-exists', '--force', '-h', '127.0.0.1', '-U', 'postgres', database], { timeout: 30_000 });
    await run('bash', ['scripts/dev.sh', '--detach'], { cwd: root, env, timeout: 240_000, maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    const message = `scripts/dev.sh --detach failed:\n${output.stdout ?? ''}\n${output.stderr ?? ''}\n${tail()}`;
    await stop().catch(() => undefined);
    throw new Error(message, { cause: error });
  }
  return { ...info, tail, stop };
}
