import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const MiB = 1024 * 1024;

/**
 * A real H.264 MP4 of at least `mib` MiB (1–2 % more) made from ffmpeg's lavfi test source: a small,
 * quick-to-transcode picture, padded to the size by x264's constant-bitrate filler.
 */
export async function generateVideo(dir: string, filename: string, mib: number, seconds = 4): Promise<string> {
  const path = join(dir, filename);
  const bitrate = `${Math.ceil((mib * MiB * 8 * 1.015) / seconds / 1000)}k`;
  await run(
    process.env['FFMPEG_PATH'] ?? 'ffmpeg',
    // prettier-ignore
    ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-b:v', bitrate, '-minrate', bitrate, '-maxrate', bitrate, '-bufsize', '2M', '-x264-params', 'nal-hrd=cbr',
      '-movflags', '+faststart', path],
    { timeout: 60_000 },
  );
  return path;
}

/** `bytes` of random data (nothing for the worker to transcode). */
export function generateBinary(dir: string, filename: string, bytes: number): string {
  const path = join(dir, filename);
  writeFileSync(path, randomBytes(bytes));
  return path;
}

export function sha256(data: Buffer | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content-MD5 (base64) of each 5 MiB part of `data`, as the browser must send them. */
export function partMd5s(data: Buffer, partSize = 5 * MiB): string[] {
  const sums: string[] = [];
  for (let start = 0; start < data.length; start += partSize) {
    sums.push(
      createHash('md5')
        .update(data.subarray(start, start + partSize))
        .digest('base64'),
    );
  }
  return sums;
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}
