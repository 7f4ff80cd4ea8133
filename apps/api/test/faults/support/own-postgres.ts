import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);
const MIGRATE = fileURLToPath(new URL('../../../../../packages/database/scripts/migrate.mjs', import.meta.url));

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (initdb, pg_ctl)');
}

/**
 * A PostgreSQL of the suite's own (DECISIONS.md: a test that stops PostgreSQL starts its own):
 * initdb into a temporary folder, on a free port, trust auth on 127.0.0.1, migrated with the
 * project's migrate script. Only this instance is ever stopped. As root, the server runs as the
 * `postgres` user (initdb refuses root).
 */
export class OwnPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly asUser: string[],
  ) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/isola_fault`;
  }

  static async start(): Promise<OwnPostgres> {
    const bin = postgresBin();
    const dir = await mkdtemp(join(tmpdir(), 'isola-fault-pg-'));
    const asUser = userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    if (asUser.length > 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await chmod(dir, 0o700);
    const pg = new OwnPostgres(dir, await freePort(), bin, asUser);
    await pg.exec('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await pg.startServer();
    await pg.exec('createdb', ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', 'isola_fault']);
    await run(process.execPath, [MIGRATE, 'deploy'], { env: { ...process.env, DATABASE_URL: pg.url, NODE_OPTIONS: '' } });
    return pg;
  }

  async startServer(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c max_connections=50`;
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
  }

  /** `pg_ctl stop -m immediate`: every connection is cut, as a crash or a failover would. */
  async stopServer(): Promise<void> {
    await this.exec('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stopServer().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const [cmd, ...rest] = [...this.asUser, join(this.bin, tool), ...args];
    await new Promise<void>((resolve, reject) => {
      // pg_ctl leaves the server attached to the pipes: ignore stdio so the call returns
      const child = spawn(cmd!, rest, { stdio: 'ignore', cwd: this.dir });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code} (log: ${this.dir}/server.log)`)),
      );
    });
  }
}
