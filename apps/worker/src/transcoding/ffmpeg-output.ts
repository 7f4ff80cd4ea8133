/**
 * Reading ffmpeg's and ffprobe's stderr (`-v error -stats`): progress lines, and what a failure
 * means. Pure; used by the ffmpeg adapter only.
 */

/** Why ffmpeg or ffprobe failed, in the worker's terms. */
export type FfmpegFailureKind =
  /** S3 refused the presigned URL (expired grant, revoked role, expired URL). */
  | 'input-denied'
  | 'input-not-found'
  /** The network or the storage service failed: worth retrying. */
  | 'input-unavailable'
  /** The data is damaged or not what its container claims. */
  | 'corrupt'
  | 'unknown';

const DENIED = /Server returned 40[13]\b|HTTP error 40[13]\b/i;
const NOT_FOUND = /Server returned 404\b|HTTP error 404\b/i;
const UNAVAILABLE =
  /Server returned 5\d\d|Server returned 5XX|HTTP error 5\d\d|Server returned 429|Connection refused|Connection reset|Connection timed out|Network is unreachable|No route to host|Operation timed out|Failed to resolve hostname|Broken pipe|Input\/output error/i;
const CORRUPT =
  /Invalid data found when processing input|moov atom not found|partial file|Error while decoding|error reading header|Invalid NAL unit|corrupt|truncat|could not find codec parameters|Output file is empty/i;

/** Classifies a failure from ffmpeg's error lines; the first matching category wins, storage first. */
export function classifyFfmpegFailure(errorLines: string): FfmpegFailureKind {
  if (DENIED.test(errorLines)) return 'input-denied';
  if (NOT_FOUND.test(errorLines)) return 'input-not-found';
  if (UNAVAILABLE.test(errorLines)) return 'input-unavailable';
  if (CORRUPT.test(errorLines)) return 'corrupt';
  return 'unknown';
}

/**
 * ffmpeg exits 0 on a file cut short after its header (a faststart MP4 missing its end): it says
 * "partial file" and writes a shorter rendition. Such a source is corrupt, not ready.
 */
export function indicatesTruncatedInput(errorLines: string): boolean {
  return /partial file/i.test(errorLines);
}

/** A `-stats` line (`frame= … time=00:00:01.30 …` or, audio only, `size= … time=…`). */
export function isStatsLine(line: string): boolean {
  return /^\s*(frame|size)=/.test(line);
}

/** Media time reached by a `-stats` line, in ms; null when the line carries none (or `N/A`). */
export function statsTimeMs(line: string): number | null {
  const match = /time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
  if (!match || match[1] === '-') return null;
  return Math.round((Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4])) * 1000);
}

/**
 * Removes query strings from URLs: a presigned URL's signature, credential and session token must
 * never reach a log line or an error stored in the database (STYLE.md §6).
 */
export function redactUrls(text: string): string {
  return text.replace(/(https?:\/\/[^\s'"?]+)\?[^\s'"]*/gi, '$1?[redacted]');
}
