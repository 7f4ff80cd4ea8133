/** Byte length of `text` encoded as UTF-8 (what S3 counts for keys), without allocating. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
  return bytes;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes and ends on a grapheme
 * boundary, so an emoji sequence, a surrogate pair or a letter with its combining marks is never
 * cut in half.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = utf8ByteLength(segment);
    if (used + size > maxBytes) break;
    kept += segment;
    used += size;
  }
  return kept;
}
