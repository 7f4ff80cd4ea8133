/**
 * A `Content-Disposition` value for a download link (`response-content-disposition`), per RFC 6266
 * with the RFC 8187 `filename*` parameter:
 *
 *   attachment; filename="Caf_ pr_sentation.mp4"; filename*=UTF-8''Caf%C3%A9%20pr%C3%A9sentation.mp4
 *
 * `filename` is an ASCII fallback for old clients (non-ASCII, quotes, backslashes, `%` and controls
 * become `_`); `filename*` carries the exact name, percent-encoded outside RFC 8187's attr-char set.
 * Control characters are dropped and path separators replaced, so no client can read the name as
 * a path or a header break.
 */
export type DispositionType = 'attachment' | 'inline';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const SEPARATORS = /[/\\]/g;
const NOT_QUOTABLE_ASCII = /[^\x20-\x7e]|["\\%]/g;

export function contentDisposition(filename: string | undefined, type: DispositionType = 'attachment'): string {
  if (filename === undefined) return type;
  const name = filename.replace(CONTROL, '').replace(SEPARATORS, '_').trim() || 'download';
  const fallback = name.replace(NOT_QUOTABLE_ASCII, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** Percent-encodes UTF-8 bytes except RFC 8187 attr-char (ALPHA / DIGIT / !#$&+-.^_`|~). */
export function encodeRfc8187(value: string): string {
  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) unescaped; of those, * ' ( ) are not attr-char.
  return encodeURIComponent(value).replace(/[*'()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
