import { S3_MAX_OBJECT_BYTES, S3_MAX_PART_NUMBER, S3_MIN_PART_BYTES } from '@isola/contracts';
import { sanitizeFilename } from '@isola/tenant-storage';
import { UploadsException } from './uploads.exception.js';

/**
 * The upload rules, as pure functions of plain values (tested in upload-rules.spec.ts). Each throws
 * the UploadsException the client gets.
 */

const DIGITS = /^[0-9]{1,20}$/;

/**
 * The declared size (Uppy metadata `size`): a whole number of bytes ≥ 1, as a JSON number or a
 * decimal string (Uppy meta values may be either). Missing, zero, negative, fractional or otherwise
 * malformed → INVALID_SIZE.
 */
export function parseDeclaredSize(value: unknown): bigint {
  let size: bigint;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value)) throw UploadsException.invalidSize('must be a whole number');
    size = BigInt(value);
  } else if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!DIGITS.test(trimmed))
      throw UploadsException.invalidSize(trimmed.startsWith('-') ? 'must not be negative' : 'must be a whole number');
    size = BigInt(trimmed);
  } else if (value === undefined || value === null) {
    throw UploadsException.invalidSize('is required');
  } else {
    throw UploadsException.invalidSize('must be a number');
  }
  if (size < 0n) throw UploadsException.invalidSize('must not be negative');
  if (size === 0n) throw UploadsException.invalidSize('must be at least 1 (empty files cannot be uploaded in parts)');
  return size;
}

/** The largest upload a tenant may make: its own limit, else the platform default; never above S3's 5 TiB. */
export function uploadLimitBytes(tenantMaxBytes: bigint | null, platformDefaultBytes: number): bigint {
  const limit = tenantMaxBytes ?? BigInt(platformDefaultBytes);
  const s3Max = BigInt(S3_MAX_OBJECT_BYTES);
  return limit < s3Max ? limit : s3Max;
}

/** Throws UPLOAD_TOO_LARGE when `size` is over `limit`. */
export function checkUploadSize(size: bigint, limit: bigint): void {
  if (size > limit) throw UploadsException.tooLarge(size, limit);
}

/**
 * The name shown in the library and used for downloads. Same rule as the object key's last segment
 * (`sanitizeFilename`): Unicode kept (NFC), control/bidi/invisible characters removed, `/` and `\`
 * replaced, dot runs collapsed, and shortened to 255 UTF-8 bytes keeping the extension.
 */
export function displayFilename(name: string): string {
  return sanitizeFilename(name);
}

/** A part number from a path segment or a JSON body: an integer 1…10,000, else INVALID_PART_NUMBER. */
export function parsePartNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > S3_MAX_PART_NUMBER) throw UploadsException.invalidPartNumber(S3_MAX_PART_NUMBER);
  return n;
}

/**
 * `partNumbers` of a batch sign request: a comma-separated list of 1…`max` distinct part numbers,
 * returned in ascending order.
 */
export function parsePartNumberList(value: unknown, max: number): number[] {
  if (typeof value !== 'string' || value === '') throw UploadsException.invalidPartNumberList(max);
  const items = value.split(',');
  if (items.length > max) throw UploadsException.invalidPartNumberList(max);
  const numbers = new Set(items.map((item) => parsePartNumber(item)));
  if (numbers.size !== items.length) throw UploadsException.invalidPartNumberList(max);
  return [...numbers].sort((a, b) => a - b);
}

/** ETags travel quoted (S3) or bare (Uppy strips the quotes): compare them bare. */
export function normalizeEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//, '')
    .replace(/^"+|"+$/g, '');
}

export interface RequestedPart {
  partNumber: number;
  etag: string;
}

export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
}

export type CompletionCheck =
  { ok: true; parts: StoredPart[]; totalBytes: bigint } | { ok: false; reason: 'size-mismatch'; parts: StoredPart[]; totalBytes: bigint };

/**
 * Checks a completion request against the parts the store holds (ListParts), before asking the
 * store to assemble them:
 * - every requested part exists with the same ETag, no part number twice → else INVALID_PART;
 * - every part but the last (by part number) is ≥ 5 MiB → else PART_TOO_SMALL (S3 would refuse too);
 * - the parts add up to the declared size → else `size-mismatch` (the caller fails the upload).
 * Returns the stored parts to complete with (their ETags as the store wrote them).
 */
export function checkCompletion(
  requested: readonly RequestedPart[],
  stored: readonly StoredPart[],
  declaredBytes: bigint,
): CompletionCheck {
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const sorted = [...requested].sort((a, b) => a.partNumber - b.partNumber);
  const parts: StoredPart[] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    const want = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.partNumber === want.partNumber) {
      throw UploadsException.invalidPart(`Part ${want.partNumber} is listed twice.`, want.partNumber);
    }
    const have = byNumber.get(want.partNumber);
    if (have === undefined) throw UploadsException.invalidPart(`Part ${want.partNumber} was not uploaded.`, want.partNumber);
    if (normalizeEtag(have.etag) !== normalizeEtag(want.etag)) {
      throw UploadsException.invalidPart(
        `Part ${want.partNumber}'s ETag does not match the uploaded part: upload it again.`,
        want.partNumber,
      );
    }
    parts.push(have);
  }
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i]!;
    if (part.size < S3_MIN_PART_BYTES) throw UploadsException.partTooSmall(part.partNumber, part.size, S3_MIN_PART_BYTES);
  }
  const totalBytes = parts.reduce((sum, part) => sum + BigInt(part.size), 0n);
  return totalBytes === declaredBytes ? { ok: true, parts, totalBytes } : { ok: false, reason: 'size-mismatch', parts, totalBytes };
}
