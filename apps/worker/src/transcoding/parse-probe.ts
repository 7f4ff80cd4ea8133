import { z } from 'zod';
import type { AudioStreamInfo, ExifOrientation, MediaProbe, VideoStreamInfo } from './media-probe.js';

/**
 * ffprobe's JSON (`-print_format json -show_format -show_streams -show_frames`) → `MediaProbe`.
 * Pure and lenient: ffprobe omits or writes `N/A` for what it does not know, numbers arrive as
 * strings or numbers depending on the field, and anything unreadable becomes null rather than an error.
 */
export function parseProbe(raw: unknown): MediaProbe {
  const parsed = ffprobeOutput.safeParse(raw);
  if (!parsed.success) {
    throw new ProbeParseError(`ffprobe output is not what was expected: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const { streams, format, frames } = parsed.data;

  const pictures = streams.filter((s) => s.codec_type === 'video');
  const main = pictures.find((s) => s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const video = main === undefined ? null : videoInfo(main);
  const firstFrame = video === null ? undefined : frames.find((f) => f.stream_index === video.index);

  return {
    formatName: format.format_name ?? '',
    durationMs: seconds(format.duration) ?? seconds(main?.duration) ?? seconds(audio?.duration),
    video,
    audio: audio === undefined ? null : audioInfo(audio),
    hasCoverArt: pictures.some((s) => s.disposition?.attached_pic === 1),
    exifOrientation: exifOrientation(firstFrame?.tags?.['Orientation']),
  };
}

export class ProbeParseError extends Error {
  override readonly name = 'ProbeParseError';
}

const numberish = z.union([z.number(), z.string()]).optional();

const sideData = z.object({ side_data_type: z.string().optional(), rotation: numberish });

const stream = z.object({
  index: z.number().int(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  sample_aspect_ratio: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  nb_frames: numberish,
  channels: z.number().int().optional(),
  sample_rate: numberish,
  duration: numberish,
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(sideData).optional(),
});
type RawStream = z.infer<typeof stream>;

const ffprobeOutput = z.object({
  streams: z.array(stream).default([]),
  format: z.object({ format_name: z.string().optional(), duration: numberish }).default({}),
  frames: z.array(z.object({ stream_index: z.number().int().optional(), tags: z.record(z.string(), z.string()).optional() })).default([]),
});

function videoInfo(s: RawStream): VideoStreamInfo | null {
  if (s.width === undefined || s.height === undefined || s.width <= 0 || s.height <= 0) return null;
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    width: s.width,
    height: s.height,
    sampleAspect: ratio(s.sample_aspect_ratio) ?? { num: 1, den: 1 },
    rotation: rotation(s),
    frameRate: rate(s.avg_frame_rate) ?? rate(s.r_frame_rate),
    frameCount: count(s.nb_frames),
  };
}

function audioInfo(s: RawStream): AudioStreamInfo {
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    channels: s.channels !== undefined && s.channels > 0 ? s.channels : 2,
    sampleRate: count(s.sample_rate),
  };
}

/** The display matrix's angle (ffprobe ≥ 5 reports it as side data, older ones as a `rotate` tag). */
function rotation(s: RawStream): VideoStreamInfo['rotation'] {
  const fromSideData = s.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  const degrees = Number(fromSideData ?? s.tags?.['rotate'] ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  const quarter = ((Math.round(degrees / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter] ?? 0;
}

function exifOrientation(tag: string | undefined): ExifOrientation {
  const value = Number.parseInt(tag?.trim() ?? '', 10);
  return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
}

/** `"3.000000"` → 3000; `N/A`, negative or missing → null. */
function seconds(value: number | string | undefined): number | null {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) return null;
  return Math.round(n * 1000);
}

function count(value: number | string | undefined): number | null {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n) || n < 0) return null;
  return n;
}

/** `"16:9"` or `"30000/1001"` → parts; zero or malformed → null. */
function ratio(value: string | undefined): { num: number; den: number } | null {
  const match = /^(\d+)[:/](\d+)$/.exec(value ?? '');
  if (!match) return null;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return num > 0 && den > 0 ? { num, den } : null;
}

function rate(value: string | undefined): number | null {
  const r = ratio(value);
  return r === null ? null : r.num / r.den;
}
