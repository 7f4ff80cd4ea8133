import { FALLBACK_FILENAME, MAX_FILENAME_BYTES, sanitizeFilename } from './sanitize-filename.js';
import { utf8ByteLength } from './utf8.js';

const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f';

const NASTY_NAMES: string[] = [
  '../../etc/passwd',
  '..\\..\\windows\\system32\\config',
  '..',
  '.',
  '',
  ' ',
  '...',
  '. . .',
  '.. ..',
  ' . .. ... ',
  'a/b\\c',
  '/absolute/path.mp4',
  'trailing/',
  `bad${controls}name.mov`,
  controls,
  '\u0000',
  'evil\u202egpj.exe',
  '\u202e\u202d\u2066\u2069\u200e\u200f',
  'zero\u200bwidth\ufeff.mp4',
  'soft\u00adhyphen\u2061.mp4',
  'x'.repeat(1000),
  'x'.repeat(1000) + '.mp4',
  'é'.repeat(1000) + '.mov',
  '😀'.repeat(300) + '.mov',
  '👨‍👩‍👧‍👦'.repeat(40) + '.png',
  'e\u0301'.repeat(300) + '.mp4',
  'e' + '\u0301'.repeat(500),
  '日本語のファイル名'.repeat(30) + '.mp4',
  'name.' + 'y'.repeat(400),
  'lone\ud800surrogate\udc00.mp4',
  'tab\tand\nnewline\r.mov',
  'a..b..c',
  '....mp4',
  '.mp4',
  'movie.tar.gz',
  '-leading-dash.mp4',
  '*?$:{}.mp4',
  'CON',
  '%2e%2e%2f',
];

describe('sanitizeFilename', () => {
  it.each(NASTY_NAMES.map((name) => [JSON.stringify(name).slice(0, 60), name]))('keeps the invariants for %s', (_label, name) => {
    const safe = sanitizeFilename(name);
    expect(safe).not.toBe('');
    expect(safe).not.toMatch(/[/\\]/);
    expect(safe).not.toContain('..');
    expect(safe).not.toMatch(/^[\s.]|[\s.]$/u);
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\ufeff]/);
    expect(safe).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(utf8ByteLength(safe)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(safe).toBe(safe.normalize('NFC'));
    expect(sanitizeFilename(safe)).toBe(safe); // idempotent
  });

  it.each([
    ['../../etc/passwd', '_._etc_passwd'],
    ['a/b\\c', 'a_b_c'],
    ['..', FALLBACK_FILENAME],
    ['.', FALLBACK_FILENAME],
    ['', FALLBACK_FILENAME],
    ['  . .  ', FALLBACK_FILENAME],
    ['.mp4', 'file.mp4'],
    ['evil\u202egpj.exe', 'evilgpj.exe'],
    ['soft\u00adhyphen\u2061.mp4', 'softhyphen.mp4'],
    ['tab\tand\nnewline\r.mov', 'tab and newline .mov'],
    ['  spaced   out  .mp4 ', 'spaced out .mp4'],
    ['a..b...c.mp4', 'a.b.c.mp4'],
    ['name.', 'name'],
    ['My Film (final) [v2].mov', 'My Film (final) [v2].mov'],
    ['👨‍👩‍👧.png', '👨‍👩‍👧.png'],
    ['日本語.mp4', '日本語.mp4'],
  ])('sanitises %j to %j', (name, expected) => {
    expect(sanitizeFilename(name)).toBe(expected);
  });

  it('NFC-normalises and keeps Unicode', () => {
    expect(sanitizeFilename('cafe\u0301.mov')).toBe('caf\u00e9.mov');
    expect(sanitizeFilename('caf\u00e9.mov')).toBe('caf\u00e9.mov');
  });

  it('shortens long names to 255 bytes and keeps the extension', () => {
    const safe = sanitizeFilename('x'.repeat(1000) + '.mp4');
    expect(safe).toBe('x'.repeat(251) + '.mp4');
    expect(utf8ByteLength(safe)).toBe(255);
  });

  it('never cuts a multi-byte character or a grapheme in half', () => {
    const emoji = sanitizeFilename('😀'.repeat(300) + '.mov');
    expect(emoji).toBe('😀'.repeat(62) + '.mov'); // 62 × 4 + 4 = 252 bytes
    const family = '👨‍👩‍👧‍👦'; // 25 bytes, one grapheme
    const families = sanitizeFilename(family.repeat(40) + '.png');
    expect(families).toBe(family.repeat(10) + '.png');
    const accents = sanitizeFilename('e\u0301'.repeat(300) + '.mp4'); // NFC: é, 2 bytes each
    expect(accents).toBe('\u00e9'.repeat(125) + '.mp4');
  });

  it('falls back when a single grapheme is longer than the budget', () => {
    expect(sanitizeFilename('e' + '\u0301'.repeat(500) + '.mp4')).toBe('file.mp4');
  });

  it('does not treat an over-long suffix as an extension', () => {
    const safe = sanitizeFilename('name.' + 'y'.repeat(400));
    expect(safe).toBe('name.' + 'y'.repeat(250));
  });

  it('keeps only the last extension of a double extension when shortening', () => {
    const safe = sanitizeFilename('a'.repeat(300) + '.tar.gz');
    expect(safe.endsWith('.tar.gz')).toBe(false);
    expect(safe).toBe('a'.repeat(252) + '.gz');
  });

  it('respects a smaller byte budget', () => {
    expect(sanitizeFilename('abcdefghijklmnopqrstuvwxyz.mp4', 16)).toBe('abcdefghijkl.mp4');
    expect(sanitizeFilename('abcdefghijklmnopqrstuvwxyz.verylongextension', 16)).toBe('abcdefghijklmnop');
    expect(() => sanitizeFilename('x', 15)).toThrow(RangeError);
  });

  it('is deterministic over many generated names', () => {
    const alphabet = ['a', '.', '/', '\\', ' ', '\u0000', '\u202e', 'é', 'e\u0301', '😀', '\u200d', '\t', '-', '_'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(next() * 400);
      const name = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const safe = sanitizeFilename(name);
      expect(safe).toBe(sanitizeFilename(name));
      expect(safe).not.toBe('');
      expect(safe).not.toMatch(/[/\\\u0000\u202e\t]/);
      expect(safe).not.toContain('..');
      expect(utf8ByteLength(safe)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    }
  });
});
