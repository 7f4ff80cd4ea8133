import { truncateUtf8, utf8ByteLength } from './utf8.js';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['日', 3],
    ['😀', 4],
    ['👨‍👩‍👧', 18],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});

describe('truncateUtf8', () => {
  it('cuts at grapheme boundaries within the byte budget', () => {
    expect(truncateUtf8('abcdef', 4)).toBe('abcd');
    expect(truncateUtf8('ééé', 5)).toBe('éé');
    expect(truncateUtf8('😀😀', 7)).toBe('😀');
    expect(truncateUtf8('a👨‍👩‍👧', 10)).toBe('a');
    expect(truncateUtf8('e\u0301e\u0301', 4)).toBe('e\u0301');
    expect(truncateUtf8('short', 100)).toBe('short');
  });
});
