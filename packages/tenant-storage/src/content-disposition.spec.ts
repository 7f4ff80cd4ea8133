import { contentDisposition, encodeRfc8187 } from './content-disposition.js';

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Café présentation.mp4')).toBe(
      `attachment; filename="Caf_ pr_sentation.mp4"; filename*=UTF-8''Caf%C3%A9%20pr%C3%A9sentation.mp4`,
    );
    expect(contentDisposition('clip.mp4', 'inline')).toBe(`inline; filename="clip.mp4"; filename*=UTF-8''clip.mp4`);
  });

  it('escapes what would break the header or the quoted string', () => {
    expect(contentDisposition('a "quoted" \\name\r\n.mp4')).toBe(
      `attachment; filename="a _quoted_ _name.mp4"; filename*=UTF-8''a%20%22quoted%22%20_name.mp4`,
    );
    expect(contentDisposition('../../etc/passwd')).toBe(`attachment; filename=".._.._etc_passwd"; filename*=UTF-8''.._.._etc_passwd`);
    expect(contentDisposition('100%.mp4')).toBe(`attachment; filename="100_.mp4"; filename*=UTF-8''100%25.mp4`);
  });

  it('encodes emoji and the characters outside attr-char', () => {
    expect(encodeRfc8187("it's (final)*.mp4")).toBe('it%27s%20%28final%29%2A.mp4');
    expect(encodeRfc8187('🎬')).toBe('%F0%9F%8E%AC');
    expect(encodeRfc8187('a!~-_.b')).toBe('a!~-_.b');
  });

  it('falls back to a name when nothing is left, and to the bare type without one', () => {
    expect(contentDisposition('\u0000\u0001')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
    expect(contentDisposition(undefined)).toBe('attachment');
    expect(contentDisposition(undefined, 'inline')).toBe('inline');
  });
});
