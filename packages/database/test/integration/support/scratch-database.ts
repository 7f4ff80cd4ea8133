import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { withDatabase } from '../../../src/database-url.js';

/** Server and credentials the suites use; each suite makes its own uniquely named database on it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/isola_test';

const packageRoot = path.resolve(import.meta.dirname, '../../..');

async function withMaintenanceClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(TEST_DATABASE_URL, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function scratchDatabaseName(label: string): string {
  return `isola_test_${label}_${randomBytes(4).toString('hex')}`;
}

export async function databaseExists(name: string): Promise<boolean> {
  return withMaintenanceClient(async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

export async function createDatabase(name: string): Promise<string> {
  await withMaintenanceClient((c) => c.query(`create database "${name}"`));
  return withDatabase(TEST_DATABASE_URL, name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withMaintenanceClient((c) => c.query(`drop database if exists "${name}" with (force)`));
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the package's scripts (`scripts/<script>`) with the given environment additions. */
export function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<ScriptRun> {
  const childEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  // Jest's own flag is not for the child.
  delete childEnv.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join('scripts', script), ...args], { cwd: packageRoot, env: childEnv }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
