import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, processStartTime, ScratchSpace } from './scratch-space.js';

/** A PID that no longer runs: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

async function processFolder(root: string, name: string, owner: object | null, jobs: Record<string, string[]> = {}): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  if (owner !== null) await writeFile(join(dir, 'owner.json'), JSON.stringify(owner));
  for (const [job, files] of Object.entries(jobs)) {
    await mkdir(join(dir, job));
    for (const file of files) await writeFile(join(dir, job, file), 'bytes');
  }
  return dir;
}

describe('ScratchSpace', () => {
  let root: string;
  const host = 'worker-host';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'isola-scratch-spec-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("sweeps a dead worker's folders and keeps a live neighbour's", async () => {
    const dead = await deadPid();
    const deadDir = await processFolder(
      root,
      `proc-${dead}-aaaa`,
      { pid: dead, startTime: null, hostname: host },
      { 'job-m1-x': ['proxy.mp4'] },
    );
    const liveDir = await processFolder(
      root,
      `proc-${process.pid}-bbbb`,
      { pid: process.pid, startTime: processStartTime(process.pid), hostname: host },
      { 'job-m2-y': ['poster.jpg'] },
    );

    const report = await new ScratchSpace({ root, hostname: host, pid: 999_999 }).sweep();
    expect(report.removed).toEqual([deadDir]);
    expect(report.kept).toEqual([liveDir]);
    expect(existsSync(deadDir)).toBe(false);
    expect(await readdir(join(liveDir, 'job-m2-y'))).toEqual(['poster.jpg']);
  });

  it('treats a live PID with another start time as a reused PID: its folder is swept', async () => {
    const dir = await processFolder(root, `proc-${process.pid}-cccc`, { pid: process.pid, startTime: '1', hostname: host });
    const report = await new ScratchSpace({ root, hostname: host }).sweep();
    expect(report.removed).toEqual([dir]);
  });

  it("leaves another host's folders and unrelated entries alone; removes ownerless and stale claim folders", async () => {
    const foreign = await processFolder(root, 'proc-1-dddd', { pid: await deadPid(), startTime: null, hostname: 'other-host' });
    const ownerless = await processFolder(root, 'proc-2-eeee', null);
    const staleClaim = await processFolder(root, '.claim-old', null);
    const freshClaim = await processFolder(root, '.claim-new', null);
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(staleClaim, old, old);
    await mkdir(join(root, 'not-ours'));

    const report = await new ScratchSpace({ root, hostname: host }).sweep();
    expect(report.removed.sort()).toEqual([staleClaim, ownerless].sort());
    expect(report.kept).toEqual([foreign]);
    expect(existsSync(freshClaim) && existsSync(join(root, 'not-ours'))).toBe(true);
  });

  it('kills the ffmpeg a dead worker left running before removing its folder', async () => {
    const orphan = spawn('sleep', ['30']);
    await new Promise((resolve) => orphan.on('spawn', resolve));
    const pid = orphan.pid!;
    const dead = await deadPid();
    const dir = await processFolder(root, `proc-${dead}-ffff`, { pid: dead, startTime: null, hostname: host }, { 'job-m3-z': [] });
    await writeFile(join(dir, 'job-m3-z', `child-${pid}`), processStartTime(pid) ?? '');
    const exited = new Promise((resolve) => orphan.on('exit', (_code, signal) => resolve(signal)));

    const report = await new ScratchSpace({ root, hostname: host }).sweep();
    expect(report.killed).toEqual([pid]);
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(dir)).toBe(false);
  });

  it('claims a folder with its owner at start, gives each job its own folder, and removes everything it made', async () => {
    const space = new ScratchSpace({ root, hostname: host });
    await space.start();
    expect(await readdir(space.directory)).toEqual(['owner.json']);
    const job = await space.createJob('0b7c5a1e-media');
    await writeFile(job.path('proxy.mp4'), 'bytes');
    job.registerChild(process.pid);
    expect(() => job.path('../escape')).toThrow(RangeError);
    expect(await readdir(space.directory)).toHaveLength(2);
    await job.dispose();
    expect(await readdir(space.directory)).toEqual(['owner.json']);

    // A second worker on the same root sees a live neighbour and keeps it.
    expect((await new ScratchSpace({ root, hostname: host }).sweep()).kept).toEqual([space.directory]);
    await space.stop();
    expect(await readdir(root)).toEqual([]);
  });

  it('knows whether a process runs', async () => {
    expect(isProcessAlive(process.pid, processStartTime(process.pid))).toBe(true);
    expect(isProcessAlive(await deadPid(), null)).toBe(false);
  });
});
