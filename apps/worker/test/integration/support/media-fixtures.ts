import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FFMPEG = process.env['FFMPEG_PATH'] ?? 'ffmpeg';
const FFPROBE = process.env['FFPROBE_PATH'] ?? 'ffprobe';

/**
 * Tiny media made at test time with ffmpeg's lavfi sources (STYLE.md §5: no committed blobs), plus
 * the few files ffmpeg cannot write: a JPEG with an EXIF orientation, a PDF, broken files.
 */
export class MediaFixtures {
  private constructor(readonly dir: string) {}

  static async create(): Promise<MediaFixtures> {
    return new MediaFixtures(await mkdtemp(join(tmpdir(), 'isola-fixtures-')));
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** testsrc picture + sine tone, H.264/AAC MP4 (moov at the end, as cameras write it). */
  async video(name: string, options: { seconds?: number; width?: number; height?: number; faststart?: boolean } = {}): Promise<string> {
    const { seconds = 3, width = 640, height = 360 } = options;
    const out = this.path(name);
    await ffmpeg([
      '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=25:duration=${seconds}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest',
      ...(options.faststart ? ['-movflags', '+faststart'] : []),
      out,
    ]); // prettier-ignore
    return out;
  }

  /** A 3 s sine tone as MP3 (ID3-tagged). */
  async audio(name: string, seconds = 3): Promise<string> {
    const out = this.path(name);
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=660:sample_rate=44100:duration=${seconds}`,
      '-c:a',
      'libmp3lame',
      '-b:a',
      '96k',
      out,
    ]);
    return out;
  }

  /** A width×height JPEG (testsrc) carrying EXIF Orientation = `orientation`. */
  async jpegWithOrientation(name: string, width: number, height: number, orientation: number): Promise<string> {
    const plain = this.path(`plain-${name}`);
    await ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=1`, '-frames:v', '1', '-q:v', '3', plain]);
    const out = this.path(name);
    await writeFile(out, withExifOrientation(await readFile(plain), orientation));
    return out;
  }

  async write(name: string, content: string | Uint8Array): Promise<string> {
    const out = this.path(name);
    await writeFile(out, content);
    return out;
  }
}

async function ffmpeg(args: string[]): Promise<void> {
  await run(FFMPEG, ['-nostdin', '-v', 'error', '-y', ...args]);
}

/** ffprobe's JSON for a file: streams and format, as a test reads them back. */
export async function ffprobeJson(file: string): Promise<{ streams: Record<string, unknown>[]; format: Record<string, unknown> }> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]);
  return JSON.parse(stdout) as { streams: Record<string, unknown>[]; format: Record<string, unknown> };
}

/**
 * Inserts an EXIF APP1 segment right after the JPEG's SOI marker: "Exif\0\0", then a little-endian
 * TIFF header whose first IFD holds one entry, Orientation (tag 0x0112, SHORT, count 1). No exiftool
 * on these machines, and ffmpeg writes no EXIF: 38 bytes are enough.
 */
export function withExifOrientation(jpeg: Uint8Array, orientation: number): Buffer {
  const source = Buffer.from(jpeg);
  if (source[0] !== 0xff || source[1] !== 0xd8) throw new Error('not a JPEG');
  const tiff = Buffer.alloc(26);
  tiff.write('II', 0, 'latin1'); // little-endian
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 right after the header
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14); // count
  tiff.writeUInt16LE(orientation, 18); // value, left-justified in the 4-byte field
  tiff.writeUInt32LE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const marker = Buffer.alloc(4);
  marker.writeUInt16BE(0xffe1, 0); // APP1
  marker.writeUInt16BE(payload.length + 2, 2); // segment length counts itself
  return Buffer.concat([source.subarray(0, 2), marker, payload, source.subarray(2)]);
}

/** A minimal valid one-page PDF ("Hello"), cross-reference offsets computed. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    stream('BT /F1 24 Tf 40 40 Td (Hello) Tj ET'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}
