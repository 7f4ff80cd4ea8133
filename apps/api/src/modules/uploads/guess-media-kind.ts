import type { MediaKind } from '@isola/contracts';

const DOCUMENT_TYPES = new Set([
  'application/pdf',
  'application/msword',
  'application/rtf',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

const EXTENSIONS: Record<string, MediaKind> = {
  // video
  mp4: 'video',
  m4v: 'video',
  mov: 'video',
  mkv: 'video',
  webm: 'video',
  avi: 'video',
  mxf: 'video',
  mpg: 'video',
  mpeg: 'video',
  ts: 'video',
  mts: 'video',
  m2ts: 'video',
  wmv: 'video',
  flv: 'video',
  '3gp': 'video',
  ogv: 'video',
  prores: 'video',
  // image
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  avif: 'image',
  heic: 'image',
  heif: 'image',
  tif: 'image',
  tiff: 'image',
  bmp: 'image',
  svg: 'image',
  exr: 'image',
  dpx: 'image',
  psd: 'image',
  cr2: 'image',
  nef: 'image',
  arw: 'image',
  dng: 'image',
  // audio
  mp3: 'audio',
  wav: 'audio',
  aif: 'audio',
  aiff: 'audio',
  flac: 'audio',
  aac: 'audio',
  m4a: 'audio',
  ogg: 'audio',
  oga: 'audio',
  opus: 'audio',
  wma: 'audio',
  // documents
  pdf: 'document',
  doc: 'document',
  docx: 'document',
  xls: 'document',
  xlsx: 'document',
  ppt: 'document',
  pptx: 'document',
  odt: 'document',
  ods: 'document',
  odp: 'document',
  rtf: 'document',
  txt: 'document',
  md: 'document',
  csv: 'document',
  srt: 'document',
  vtt: 'document',
};

/**
 * A media's kind from its content type, or from the filename's extension when the type says
 * nothing specific (browsers send `application/octet-stream` for types they do not know: `.mxf`,
 * camera raw…). Only decides how the library shows the item and what the worker attempts; the
 * worker's probe has the last word.
 */
export function guessMediaKind(contentType: string, filename: string): MediaKind {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const major = type.split('/')[0];
  if (major === 'video' || major === 'image' || major === 'audio') return major;
  if (type.startsWith('text/') || DOCUMENT_TYPES.has(type)) return 'document';
  const dot = filename.lastIndexOf('.');
  const extension = dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
  return EXTENSIONS[extension] ?? 'other';
}
