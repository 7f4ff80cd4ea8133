import { truncateUtf8, utf8ByteLength } from './utf8.js';

/** Longest filename Isola puts in a key, in UTF-8 bytes (the common filesystem limit). */
export const MAX_FILENAME_BYTES = 255;

/** Used when nothing usable is left of a name (`''`, `'..'`, `'   '`, only control characters…). */
export const FALLBACK_FILENAME = 'file';

/** The smallest budget `sanitizeFilename` accepts: room for the fallback and a short extension. */
export const MIN_FILENAME_BUDGET_BYTES = 16;

// Line breaks and tabs become spaces; they separate words.
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// Other C0/C1 controls, DEL, and invisible format characters that can disguise a name: bidi
// embeddings/overrides/isolates (`evil\u202Egpj.exe` shows as `evilexe.jpg`), LRM/RLM/ALM, soft
// hyphen, zero-width space, word joiner and invisible operators, BOM, and noncharacters.
// ZWJ/ZWNJ (U+200D/U+200C) stay: emoji sequences and several scripts need them.
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufdd0-\ufdef\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SEPARATORS = /[/\\]/g;
const DOT_RUNS = /\.{2,}/g;
const SPACE_RUNS = /\s+/gu;
const LEADING_JUNK = /^[\s.]+/u;
const TRAILING_JUNK = /[\s.]+$/u;
// An extension worth keeping when shortening: a dot and up to 16 letters/digits (`.mp4`, `.MOV`).
const EXTENSION = /\.[\p{L}\p{N}]{1,16}$/u;
const ONLY_EXTENSION = /^\.+([\p{L}\p{N}]{1,16})$/u;

/**
 * Turns a user-supplied filename into one safe to use as the last segment of an object key.
 *
 * - NFC-normalised; Unicode letters, emoji and combining marks are kept;
 * - control characters, bidi overrides and other invisible characters removed, line breaks and
 *   tabs turned into spaces, runs of whitespace collapsed;
 * - `/` and `\` replaced by `_`, runs of dots collapsed to one, leading/trailing dots and spaces
 *   trimmed: the result is one key segment, never `.`/`..`, and never contains `..`;
 * - never empty (`file`, or `file.<ext>` for a name that was only an extension such as `.mp4`);
 * - at most `maxBytes` UTF-8 bytes, shortened at a grapheme boundary before the extension, which
 *   is kept.
 *
 * Deterministic and idempotent: sanitising a sanitised name returns it unchanged.
 */
export function sanitizeFilename(name: string, maxBytes: number = MAX_FILENAME_BYTES): string {
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_FILENAME_BUDGET_BYTES) {
    throw new RangeError(`sanitizeFilename: maxBytes must be an integer ≥ ${MIN_FILENAME_BUDGET_BYTES}, got ${maxBytes}`);
  }
  let cleaned = name
    .replace(LONE_SURROGATE, '')
    .replace(WHITESPACE_CONTROLS, ' ')
    .replace(INVISIBLE, '')
    .normalize('NFC')
    .replace(SEPARATORS, '_')
    .replace(SPACE_RUNS, ' ')
    .replace(DOT_RUNS, '.');

  const onlyExtension = ONLY_EXTENSION.exec(cleaned.trim());
  if (onlyExtension) cleaned = `${FALLBACK_FILENAME}.${onlyExtension[1]}`;

  cleaned = cleaned.replace(LEADING_JUNK, '').replace(TRAILING_JUNK, '');
  if (cleaned === '') cleaned = FALLBACK_FILENAME;

  return fitFilename(cleaned, maxBytes);
}

function fitFilename(name: string, maxBytes: number): string {
  if (utf8ByteLength(name) <= maxBytes) return name;

  const extensionMatch = EXTENSION.exec(name);
  let extension = extensionMatch && extensionMatch.index > 0 ? extensionMatch[0] : '';
  if (utf8ByteLength(extension) + FALLBACK_FILENAME.length > maxBytes) extension = '';
  const stem = name.slice(0, name.length - extension.length);

  const shortened = truncateUtf8(stem, maxBytes - utf8ByteLength(extension)).replace(TRAILING_JUNK, '');
  return (shortened === '' ? FALLBACK_FILENAME : shortened) + extension;
}
