import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5, md5Base64 } from './md5';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);

describe('md5', () => {
  it('matches the RFC 1321 test suite', () => {
    expect(hex(md5(text('')))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(md5(text('a')))).toBe('0cc175b9c0f1b6a831c399e269772661');
    expect(hex(md5(text('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(md5(text('message digest')))).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(hex(md5(text('abcdefghijklmnopqrstuvwxyz')))).toBe('c3fcd3d76192e4007dfb496cca67e13b');
    expect(hex(md5(text('12345678901234567890123456789012345678901234567890123456789012345678901234567890')))).toBe(
      '57edf4a22be3c955ac49da2e2107b67a',
    );
  });

  it('agrees with node:crypto around the block and padding boundaries and on a 5 MiB part', () => {
    for (const size of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 5 * 1024 * 1024 + 3]) {
      const data = randomBytes(size);
      expect(hex(md5(data)), `${size} bytes`).toBe(createHash('md5').update(data).digest('hex'));
    }
  });

  it('reads only its own bytes of a larger buffer (a view at an offset)', () => {
    const buffer = randomBytes(300);
    const view = new Uint8Array(buffer.buffer, buffer.byteOffset + 17, 200);
    expect(hex(md5(view))).toBe(createHash('md5').update(view).digest('hex'));
  });

  it('gives the Content-MD5 header value (base64 of the digest)', () => {
    const data = randomBytes(4096);
    expect(md5Base64(data)).toBe(createHash('md5').update(data).digest('base64'));
    expect(md5Base64(text(''))).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
  });
});
