import { isMediaContainer, sniffContainer } from './sniff-container.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

describe('sniffContainer', () => {
  it.each([
    ['isobmff', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0])],
    ['isobmff', bytes([0, 0, 0, 8], 'moov')],
    ['matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x01])],
    ['avi', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')],
    ['wave', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['ogg', bytes('OggS', [0])],
    ['flac', bytes('fLaC')],
    ['mpeg-audio', bytes('ID3', [4, 0])],
    ['mpeg-audio', bytes([0xff, 0xfb, 0x90, 0x64])],
    ['mpeg-audio', bytes([0xff, 0xf1, 0x50, 0x80])],
    ['aiff', bytes('FORM', [0, 0, 0, 0], 'AIFF')],
    ['asf', bytes([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])],
    ['flv', bytes('FLV', [1, 5])],
    ['mpeg-ps', bytes([0, 0, 1, 0xba])],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe1])],
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])],
    ['gif', bytes('GIF89a')],
    ['tiff', bytes('II*', [0])],
    ['tiff', bytes('MM', [0], '*')],
    ['pdf', bytes('%PDF-1.4\n')],
  ])('recognises %s', (expected, head) => {
    expect(sniffContainer(head)).toBe(expected);
  });

  it('recognises MPEG-TS only with sync bytes every 188 bytes', () => {
    const ts = new Uint8Array(512);
    ts[0] = ts[188] = ts[376] = 0x47;
    expect(sniffContainer(ts)).toBe('mpeg-ts');
    expect(sniffContainer(bytes('Good morning, this is a text file'))).toBeNull();
  });

  it('recognises no text: a file named .mp4 holding text, an HLS playlist, a concat script, nothing at all', () => {
    expect(sniffContainer(bytes('hello, this is not a video at all\n'))).toBeNull();
    expect(sniffContainer(bytes('#EXTM3U\n#EXT-X-VERSION:3\n'))).toBeNull();
    expect(sniffContainer(bytes("ffconcat version 1.0\nfile '/etc/passwd'\n"))).toBeNull();
    expect(sniffContainer(new Uint8Array(0))).toBeNull();
    expect(sniffContainer(bytes('RIFF', [0, 0, 0, 0], 'XXXX'))).toBeNull();
  });

  it('counts a PDF as no media container', () => {
    expect(isMediaContainer('pdf')).toBe(false);
    expect(isMediaContainer(null)).toBe(false);
    expect(isMediaContainer('isobmff')).toBe(true);
  });
});
