import { decodeMediaCursor, encodeMediaCursor } from './media-cursor.js';

describe('media cursor', () => {
  it('round-trips and is opaque (base64url)', () => {
    const cursor = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' };
    const encoded = encodeMediaCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeMediaCursor(encoded)).toEqual(cursor);
  });

  it('refuses anything it did not make', () => {
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const value of [
      'not a cursor',
      '',
      forge(['2026-01-02T03:04:05.678Z']),
      forge(['2026-01-02', '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9']),
      forge(['2026-01-02T03:04:05.678Z', 'x; drop table']),
      forge({ createdAt: 1 }),
      Buffer.from('{').toString('base64url'),
    ]) {
      expect(decodeMediaCursor(value)).toBeUndefined();
    }
  });
});
