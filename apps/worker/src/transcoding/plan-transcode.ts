import type { RenditionKind } from '@isola/contracts';
import type { X264Preset } from '../config/env.schema.js';
import type { ExifOrientation, MediaProbe, VideoStreamInfo } from './media-probe.js';

/**
 * The transcode plan: from a probe, which renditions to make and the exact ffmpeg options for each.
 * Pure — commands are data, asserted exactly in plan-transcode.spec.ts (STYLE.md §4).
 *
 *   video → thumbnail JPEG, poster JPEG, web proxy (H.264/AAC MP4, ≤ 1080p keeping aspect, faststart),
 *           filmstrip sprite (10 frames side by side)
 *   image → thumbnail + poster JPEG, EXIF orientation applied
 *   audio → AAC proxy (M4A) + waveform PNG
 *   other → no renditions (the source is stored as it is)
 *
 * Sizes are computed here (never upscaled; even where H.264 needs it), so each command states the
 * exact output size. Every rendition drops the source's metadata (`-map_metadata -1`): renditions
 * carry no GPS position, camera serial or editing history.
 *
 * Orientation. Video: ffmpeg applies the display matrix itself (autorotate) and writes upright
 * output without one; sizes here are the displayed ones. Images: autorotate is switched off and the
 * EXIF orientation becomes explicit filters, so what happens to a photo shows in its command.
 */
export interface TranscodeStep {
  rendition: RenditionKind;
  /** Name in the job's scratch folder and, under the media's renditions prefix, in the bucket. */
  fileName: string;
  contentType: string;
  /** Options before `-i <source>`. */
  inputOptions: readonly string[];
  /** Options after the input, before the output file. */
  outputOptions: readonly string[];
  /** Large renditions are written back with a multipart upload, small images with one PUT. */
  upload: 'multipart' | 'single';
  /** Share of the job's work, for progress. */
  weight: number;
  /** Media time the step encodes, to turn ffmpeg's `time=` into a fraction; null: reported when done. */
  progressDurationMs: number | null;
}

export type PlannedKind = 'video' | 'image' | 'audio' | 'other';

export interface TranscodePlan {
  kind: PlannedKind;
  /** Displayed size of the picture (after pixel aspect and orientation); null without one. */
  width: number | null;
  height: number | null;
  durationMs: number | null;
  steps: TranscodeStep[];
}

export interface PlanOptions {
  x264Preset: X264Preset;
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = { x264Preset: 'veryfast' };

/** Longest side of a thumbnail. */
export const THUMBNAIL_MAX = 320;
/** Longest side of a poster. */
export const POSTER_MAX = 1280;
/** Web proxy: at most 1920 on the long side and 1080 on the short one ("1080p", either orientation). */
export const PROXY_LONG_MAX = 1920;
export const PROXY_SHORT_MAX = 1080;
export const FILMSTRIP_FRAMES = 10;
export const FILMSTRIP_FRAME_WIDTH = 160;
export const WAVEFORM_SIZE = { width: 1200, height: 240 } as const;
export const WAVEFORM_COLOR = '0x4f46e5';

/** Demuxers that read still images (one picture, maybe animated: GIF, APNG). */
export function isStillImageFormat(formatName: string): boolean {
  return formatName.split(',').some((name) => name === 'image2' || name === 'gif' || name === 'apng' || name.endsWith('_pipe'));
}

export function planTranscode(probe: MediaProbe, options: PlanOptions = DEFAULT_PLAN_OPTIONS): TranscodePlan {
  const { video, audio } = probe;
  if (video !== null && isStillImageFormat(probe.formatName)) return planImage(video, probe.exifOrientation);
  if (video !== null) return planVideo(probe, video, options);
  if (audio !== null) return planAudio(probe, audio.channels);
  return { kind: 'other', width: null, height: null, durationMs: probe.durationMs, steps: [] };
}

// ---------------------------------------------------------------------------------------------- video

function planVideo(probe: MediaProbe, video: VideoStreamInfo, options: PlanOptions): TranscodePlan {
  const display = displaySize(video);
  const durationMs = probe.durationMs !== null && probe.durationMs > 0 ? probe.durationMs : null;
  // A frame a tenth of the way in (at most a minute): past fades from black, quick to seek to.
  const seek = durationMs === null ? [] : ['-ss', secondsText(Math.min(Math.floor(durationMs / 10), 60_000))];
  const thumbnail = fitWithin(display, THUMBNAIL_MAX, THUMBNAIL_MAX, false);
  const poster = fitWithin(display, POSTER_MAX, POSTER_MAX, false);
  const longMax = display.width >= display.height ? PROXY_LONG_MAX : PROXY_SHORT_MAX;
  const shortMax = display.width >= display.height ? PROXY_SHORT_MAX : PROXY_LONG_MAX;
  const proxy = fitWithin(display, longMax, shortMax, true);
  const audio = probe.audio;

  const steps: TranscodeStep[] = [
    still('thumbnail', seek, `scale=${thumbnail.width}:${thumbnail.height},setsar=1`, 2),
    still('poster', seek, `scale=${poster.width}:${poster.height},setsar=1`, 3),
    {
      rendition: 'proxy',
      fileName: 'proxy.mp4',
      contentType: 'video/mp4',
      inputOptions: [],
      outputOptions: [
        '-map',
        '0:v:0',
        ...(audio === null ? [] : ['-map', '0:a:0']),
        '-map_metadata',
        '-1',
        '-vf',
        `scale=${proxy.width}:${proxy.height},setsar=1`,
        '-c:v',
        'libx264',
        '-preset',
        options.x264Preset,
        '-crf',
        '23',
        '-profile:v',
        'high',
        '-pix_fmt',
        'yuv420p',
        ...(audio === null ? ['-an'] : aacOptions(audio.channels)),
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
      ],
      upload: 'multipart',
      weight: 60,
      progressDurationMs: durationMs,
    },
  ];

  if (durationMs !== null) {
    const frame = fitWithin(display, FILMSTRIP_FRAME_WIDTH, Number.MAX_SAFE_INTEGER, true);
    steps.push({
      rendition: 'filmstrip',
      fileName: 'filmstrip.jpg',
      contentType: 'image/jpeg',
      inputOptions: [],
      outputOptions: [
        '-map',
        '0:v:0',
        '-map_metadata',
        '-1',
        '-vf',
        // FILMSTRIP_FRAMES frames evenly over the duration, side by side in one picture
        `fps=${FILMSTRIP_FRAMES * 1000}/${durationMs},scale=${frame.width}:${frame.height},setsar=1,tile=${FILMSTRIP_FRAMES}x1`,
        '-frames:v',
        '1',
        '-c:v',
        'mjpeg',
        '-q:v',
        '5',
        '-f',
        'image2',
      ],
      upload: 'single',
      weight: 20,
      progressDurationMs: null,
    });
  }
  return { kind: 'video', width: display.width, height: display.height, durationMs, steps };
}

// ---------------------------------------------------------------------------------------------- image

const ORIENTATION_FILTERS: Record<ExifOrientation, string | null> = {
  1: null,
  2: 'hflip',
  3: 'hflip,vflip',
  4: 'vflip',
  5: 'transpose=0', // transpose (mirror + 270° CW)
  6: 'transpose=1', // 90° CW
  7: 'transpose=3', // transverse (mirror + 90° CW)
  8: 'transpose=2', // 90° CCW
};

function planImage(video: VideoStreamInfo, orientation: ExifOrientation): TranscodePlan {
  const coded = displaySize({ ...video, rotation: 0 });
  const display = orientation >= 5 ? { width: coded.height, height: coded.width } : coded;
  const orient = ORIENTATION_FILTERS[orientation];
  const filters = (size: Size) => [orient, `scale=${size.width}:${size.height}`, 'setsar=1'].filter((f) => f !== null).join(',');
  const input = ['-noautorotate'];
  const thumbnail = fitWithin(display, THUMBNAIL_MAX, THUMBNAIL_MAX, false);
  const poster = fitWithin(display, POSTER_MAX, POSTER_MAX, false);
  return {
    kind: 'image',
    width: display.width,
    height: display.height,
    durationMs: null,
    steps: [still('thumbnail', input, filters(thumbnail), 1), still('poster', input, filters(poster), 2)],
  };
}

// ---------------------------------------------------------------------------------------------- audio

function planAudio(probe: MediaProbe, channels: number): TranscodePlan {
  const durationMs = probe.durationMs !== null && probe.durationMs > 0 ? probe.durationMs : null;
  return {
    kind: 'audio',
    width: null,
    height: null,
    durationMs,
    steps: [
      {
        rendition: 'audio_proxy',
        fileName: 'audio_proxy.m4a',
        contentType: 'audio/mp4',
        inputOptions: [],
        outputOptions: ['-map', '0:a:0', '-vn', '-map_metadata', '-1', ...aacOptions(channels), '-movflags', '+faststart', '-f', 'mp4'],
        upload: 'multipart',
        weight: 60,
        progressDurationMs: durationMs,
      },
      {
        rendition: 'waveform',
        fileName: 'waveform.png',
        contentType: 'image/png',
        inputOptions: [],
        outputOptions: [
          '-filter_complex',
          `[0:a:0]aformat=channel_layouts=mono,showwavespic=s=${WAVEFORM_SIZE.width}x${WAVEFORM_SIZE.height}:colors=${WAVEFORM_COLOR}`,
          '-frames:v',
          '1',
          '-c:v',
          'png',
          '-f',
          'image2',
        ],
        upload: 'single',
        weight: 25,
        progressDurationMs: null,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------- helpers

interface Size {
  width: number;
  height: number;
}

/** A single JPEG frame (thumbnail or poster). */
function still(rendition: 'thumbnail' | 'poster', inputOptions: string[], filters: string, weight: number): TranscodeStep {
  return {
    rendition,
    fileName: `${rendition}.jpg`,
    contentType: 'image/jpeg',
    inputOptions,
    outputOptions: ['-map', '0:v:0', '-map_metadata', '-1', '-vf', filters, '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2'],
    upload: 'single',
    weight,
    progressDurationMs: null,
  };
}

/** AAC at 128 kb/s; more than two channels are downmixed to stereo (browsers play stereo). */
function aacOptions(channels: number): string[] {
  return ['-c:a', 'aac', '-b:a', '128k', ...(channels > 2 ? ['-ac', '2'] : [])];
}

/** The size a player shows: coded size stretched by the pixel aspect, turned by the display matrix. */
export function displaySize(video: Pick<VideoStreamInfo, 'width' | 'height' | 'sampleAspect' | 'rotation'>): Size {
  const width = Math.max(1, Math.round((video.width * video.sampleAspect.num) / video.sampleAspect.den));
  const sideways = video.rotation === 90 || video.rotation === 270;
  return sideways ? { width: video.height, height: width } : { width, height: video.height };
}

/**
 * The largest size within maxWidth × maxHeight keeping the aspect ratio, never larger than the
 * source; `even` rounds both sides to even numbers (H.264 in 4:2:0 needs them), at least 2.
 */
export function fitWithin(size: Size, maxWidth: number, maxHeight: number, even: boolean): Size {
  const scale = Math.min(1, maxWidth / size.width, maxHeight / size.height);
  const round = (n: number) => (even ? Math.max(2, 2 * Math.round(n / 2)) : Math.max(1, Math.round(n)));
  return { width: round(size.width * scale), height: round(size.height * scale) };
}

function secondsText(ms: number): string {
  return (ms / 1000).toFixed(3);
}
