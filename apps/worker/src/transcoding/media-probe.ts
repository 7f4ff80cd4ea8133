/**
 * What the worker knows about a file after probing it: the domain view of an ffprobe result (see
 * `parseProbe`). Plans are made from this, never from ffprobe's raw JSON.
 */
export interface MediaProbe {
  /** ffprobe's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `image2`, `png_pipe`, `mp3`. */
  formatName: string;
  /** Container duration; null when unknown. */
  durationMs: number | null;
  /** The main picture stream (cover art excluded); null when there is none. */
  video: VideoStreamInfo | null;
  /** The first audio stream; null when there is none. */
  audio: AudioStreamInfo | null;
  /** Cover art (an attached picture, e.g. in MP3 or M4A). */
  hasCoverArt: boolean;
  /** EXIF orientation (1–8) of the first frame; 1 when absent. ffprobe reports it for still images. */
  exifOrientation: ExifOrientation;
}

export interface VideoStreamInfo {
  /** Stream index in the file. */
  index: number;
  codec: string;
  /** Coded size, before the sample aspect ratio and any rotation. */
  width: number;
  height: number;
  /** Sample (pixel) aspect ratio; 1:1 when unknown. */
  sampleAspect: { num: number; den: number };
  /**
   * Quarter turns of the display matrix, normalised to 0/90/180/270. ffmpeg applies it when decoding
   * (autorotate): only whether the picture is turned sideways matters to a plan.
   */
  rotation: 0 | 90 | 180 | 270;
  /** Frames per second; null when unknown. */
  frameRate: number | null;
  /** Frames in the stream when the container says (1 for a still image); null when unknown. */
  frameCount: number | null;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  channels: number;
  sampleRate: number | null;
}

/** TIFF/EXIF orientation: 1 upright, 2 mirrored, 3 180°, 4 flipped, 5 transposed, 6 90° CW, 7 transversed, 8 90° CCW. */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
