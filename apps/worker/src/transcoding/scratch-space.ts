import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { MediaLogger } from './transcoder.port.js';

/**
 * Scratch files, and the guarantee that none outlive their job.
 *
 *   <root>/proc-<pid>-<random>/owner.json           one folder per worker process, with its owner
 *   <root>/proc-<pid>-<random>/job-<id>-<random>/   one per job: renditions before upload
 *   <root>/proc-<pid>-<random>/job-…/child-<pid>    a running ffmpeg/ffprobe of that job
 *
 * A job folder is removed when its job ends, whatever the outcome. A worker that crashed (kill -9,
 * OOM) cannot clean up, so every worker starts with a sweep: a process folder whose owner is gone
 * is removed — after killing any ffmpeg it left running — and a live neighbour's is never touched.
 * "Gone" means no process with that PID, or one with a different start time (the PID was reused);
 * folders of another host (a shared volume) are left to that host's workers.
 */
export interface ScratchSpaceOptions {
  root: string;
  /** For tests; default: this process. */
  pid?: number;
  hostname?: string;
  logger?: MediaLogger;
}

/** What a process folder's `owner.json` holds. */
export interface ScratchOwner {
  pid: number;
  /** `/proc/<pid>/stat` start time (clock ticks since boot); null where /proc is unavailable. */
  startTime: string | null;
  hostname: string;
  createdAt: string;
}

export interface SweepReport {
  removed: string[];
  kept: string[];
  /** Processes left behind by dead workers and killed. */
  killed: number[];
}

const OWNER_FILE = 'owner.json';
const PROCESS_PREFIX = 'proc-';
const CLAIM_PREFIX = '.claim-';
const CHILD_PREFIX = 'child-';
/** A folder being claimed is renamed within milliseconds; older ones are leftovers of a crash. */
const STALE_CLAIM_MS = 60_000;

export class ScratchSpace {
  private processDir: string | undefined;
  private readonly pid: number;
  private readonly host: string;

  constructor(private readonly options: ScratchSpaceOptions) {
    this.pid = options.pid ?? process.pid;
    this.host = options.hostname ?? hostname();
  }

  /** This process's folder (after `start`). */
  get directory(): string {
    if (this.processDir === undefined) throw new Error('ScratchSpace.start() has not run');
    return this.processDir;
  }

  /** Sweeps what dead workers left, then claims this process's folder. */
  async start(): Promise<SweepReport> {
    await mkdir(this.options.root, { recursive: true, mode: 0o700 });
    const report = await this.sweep();
    if (report.removed.length > 0) {
      this.options.logger?.warn(`removed ${report.removed.length} scratch folder(s) left by stopped workers`);
    }
    this.processDir = await this.claim();
    return report;
  }

  /** Removes this process's folder (on shutdown, once no job runs). */
  async stop(): Promise<void> {
    if (this.processDir === undefined) return;
    await rm(this.processDir, { recursive: true, force: true });
    this.processDir = undefined;
  }

  /** A fresh folder for one job. `dispose()` it when the job ends, however it ends. */
  async createJob(label: string): Promise<JobScratch> {
    const safe = label.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'job';
    return new JobScratch(await mkdtemp(join(this.directory, `job-${safe}-`)));
  }

  /** Removes process folders whose owner is gone (killing the processes they left running). */
  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { removed: [], kept: [], killed: [] };
    const entries = await readdir(this.options.root, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = join(this.options.root, entry.name);
      if (entry.name.startsWith(CLAIM_PREFIX)) {
        const age = Date.now() - (await stat(dir)).mtimeMs;
        if (age > STALE_CLAIM_MS) await this.remove(dir, report);
        continue;
      }
      if (!entry.name.startsWith(PROCESS_PREFIX)) continue;
      const owner = await readOwner(dir);
      if (owner !== null && owner.hostname !== this.host) {
        report.kept.push(dir);
        continue;
      }
      if (owner !== null && isProcessAlive(owner.pid, owner.startTime)) {
        report.kept.push(dir);
        continue;
      }
      report.killed.push(...(await killLeftovers(dir)));
      await this.remove(dir, report);
    }
    return report;
  }

  private async remove(dir: string, report: SweepReport): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    report.removed.push(dir);
  }

  /** Creates the folder with its owner file in place before it gets its final name (no unowned window). */
  private async claim(): Promise<string> {
    const temporary = await mkdtemp(join(this.options.root, CLAIM_PREFIX));
    const owner: ScratchOwner = {
      pid: this.pid,
      startTime: processStartTime(this.pid),
      hostname: this.host,
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(temporary, OWNER_FILE), JSON.stringify(owner));
    const dir = join(this.options.root, `${PROCESS_PREFIX}${this.pid}-${randomBytes(4).toString('hex')}`);
    await rename(temporary, dir);
    return dir;
  }
}

/** One job's folder. */
export class JobScratch {
  constructor(readonly dir: string) {}

  /** A file in the folder; `name` is a plain file name chosen by Isola. */
  path(name: string): string {
    if (basename(name) !== name || name.startsWith('.') || name.startsWith(CHILD_PREFIX)) {
      throw new RangeError(`Invalid scratch file name: ${name}`);
    }
    return join(this.dir, name);
  }

  /** Records a child process (ffmpeg) so a sweep can stop it if this worker dies. Synchronous: called on spawn. */
  registerChild(pid: number): void {
    try {
      writeFileSync(join(this.dir, `${CHILD_PREFIX}${pid}`), processStartTime(pid) ?? '');
    } catch {
      // the job is ending and its folder is gone: nothing left to protect
    }
  }

  /** Removes the folder and everything in it. Never throws. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function readOwner(dir: string): Promise<ScratchOwner | null> {
  try {
    const owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as Partial<ScratchOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return null;
    return { pid: owner.pid, startTime: owner.startTime ?? null, hostname: owner.hostname, createdAt: String(owner.createdAt) };
  } catch {
    return null;
  }
}

/** Kills the still-running children recorded in a dead worker's job folders. */
async function killLeftovers(processDir: string): Promise<number[]> {
  const killed: number[] = [];
  const jobs = await readdir(processDir, { withFileTypes: true }).catch(() => []);
  for (const job of jobs) {
    if (!job.isDirectory()) continue;
    const files = await readdir(join(processDir, job.name)).catch(() => []);
    for (const file of files) {
      if (!file.startsWith(CHILD_PREFIX)) continue;
      const pid = Number(file.slice(CHILD_PREFIX.length));
      if (!Number.isInteger(pid) || pid <= 1) continue;
      const startTime = (await readFile(join(processDir, job.name, file), 'utf8').catch(() => '')) || null;
      // Only a recorded start time proves the PID still names the same process.
      if (startTime === null || !isProcessAlive(pid, startTime)) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // exited meanwhile
      }
    }
  }
  return killed;
}

/**
 * Whether `pid` is a running process — the same one that wrote `startTime`, when given and /proc
 * can tell (a reused PID has another start time).
 */
export function isProcessAlive(pid: number, startTime: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: no such process
  }
  if (startTime === null) return true;
  const current = processStartTime(pid);
  return current === null || current === startTime;
}

/** Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot); null without /proc. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may contain spaces: count from after it
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
