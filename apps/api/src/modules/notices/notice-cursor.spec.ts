import { decodeNoticeCursor, encodeNoticeCursor } from './notice-cursor.js';

describe('notice cursor', () => {
  const cursor = { dismissed: true, createdAt: new Date('2026-03-01T10:00:00.123Z'), id: '0b6f3c1e-8a44-4d7e-9a6b-1c2d3e4f5a6b' };

  it('round-trips', () => {
    expect(decodeNoticeCursor(encodeNoticeCursor(cursor))).toEqual(cursor);
    expect(decodeNoticeCursor(encodeNoticeCursor({ ...cursor, dismissed: false }))).toEqual({ ...cursor, dismissed: false });
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['wrong arity', Buffer.from(JSON.stringify([0, '2026-03-01T10:00:00.123Z'])).toString('base64url')],
    ['bad group', Buffer.from(JSON.stringify([2, '2026-03-01T10:00:00.123Z', cursor.id])).toString('base64url')],
    ['bad date', Buffer.from(JSON.stringify([0, '2026-03-01', cursor.id])).toString('base64url')],
    ['bad id', Buffer.from(JSON.stringify([0, '2026-03-01T10:00:00.123Z', 'x'])).toString('base64url')],
  ])('refuses %s', (_label, value) => {
    expect(decodeNoticeCursor(value)).toBeUndefined();
  });
});
