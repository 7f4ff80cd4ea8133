/**
 * Recognises a file's container from its first bytes (magic numbers). Pure.
 *
 * Two uses. It tells a damaged media file (a known container ffprobe cannot read: CORRUPT_MEDIA) from
 * something that is no media at all (UNSUPPORTED_MEDIA). And it is a gate: only files that start like
 * a real audio, video or image container are handed to ffprobe/ffmpeg, so a playlist, a concat script
 * or any other text format that would make ffmpeg open further URLs or files never reaches it.
 */

/** How many leading bytes `sniffContainer` needs (MPEG-TS sync bytes sit at 0, 188 and 376). */
export const SNIFF_BYTES = 512;

export const MEDIA_CONTAINERS = [
  'isobmff', // MP4, MOV, M4A, 3GP, HEIF
  'matroska', // MKV, WebM
  'avi',
  'wave',
  'webp',
  'mpeg-ts',
  'mpeg-ps',
  'flv',
  'ogg',
  'flac',
  'mpeg-audio', // MP3, ADTS AAC, ID3-tagged audio
  'aiff',
  'asf', // WMV, WMA
  'amr',
  'caf',
  'mxf',
  'au',
  'jpeg',
  'png',
  'gif',
  'bmp',
  'tiff',
] as const;

export type MediaContainer = (typeof MEDIA_CONTAINERS)[number];
export type Container = MediaContainer | 'pdf';

export function isMediaContainer(container: Container | null): container is MediaContainer {
  return container !== null && container !== 'pdf';
}

const ISOBMFF_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

export function sniffContainer(head: Uint8Array): Container | null {
  const at = (offset: number, ...bytes: number[]) => bytes.every((b, i) => head[offset + i] === b);
  const ascii = (offset: number, text: string) => at(offset, ...Array.from(text, (c) => c.charCodeAt(0)));

  if (head.length >= 8 && ISOBMFF_BOXES.has(String.fromCharCode(...head.subarray(4, 8)))) return 'isobmff';
  if (at(0, 0x1a, 0x45, 0xdf, 0xa3)) return 'matroska';
  if (ascii(0, 'RIFF')) {
    if (ascii(8, 'AVI ')) return 'avi';
    if (ascii(8, 'WAVE')) return 'wave';
    if (ascii(8, 'WEBP')) return 'webp';
    return null;
  }
  if (head.length > 188 && head[0] === 0x47 && head[188] === 0x47 && (head.length <= 376 || head[376] === 0x47)) return 'mpeg-ts';
  if (at(0, 0x00, 0x00, 0x01, 0xba) || at(0, 0x00, 0x00, 0x01, 0xb3)) return 'mpeg-ps';
  if (at(0, 0x46, 0x4c, 0x56, 0x01)) return 'flv';
  if (ascii(0, 'OggS')) return 'ogg';
  if (ascii(0, 'fLaC')) return 'flac';
  if (ascii(0, 'ID3') || (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)) return 'mpeg-audio';
  if (ascii(0, 'FORM') && (ascii(8, 'AIFF') || ascii(8, 'AIFC'))) return 'aiff';
  if (at(0, 0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11)) return 'asf';
  if (ascii(0, '#!AMR')) return 'amr';
  if (ascii(0, 'caff')) return 'caf';
  if (at(0, 0x06, 0x0e, 0x2b, 0x34)) return 'mxf';
  if (ascii(0, '.snd')) return 'au';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'BM') && head.length >= 26) return 'bmp';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (ascii(0, '%PDF-')) return 'pdf';
  return null;
}
