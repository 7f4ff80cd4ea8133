import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';

describe('audit cursor', () => {
  const cursor = { createdAt: new Date('2026-03-04T05:06:07.089Z'), id: '0b0e0d0c-1111-4222-8333-444455556666' };

  it('round-trips (createdAt to the millisecond, id) through an opaque base64url string', () => {
    const encoded = encodeAuditCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAuditCursor(encoded)).toEqual(cursor);
  });

  it('refuses anything it did not issue', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const bad of [
      '',
      'not base64!',
      b64('2026-03-04T05:06:07.089Z'),
      b64('2026-03-04T05:06:07.089Z|not-a-uuid'),
      b64('yesterday|0b0e0d0c-1111-4222-8333-444455556666'),
      b64('2026-03-04|0b0e0d0c-1111-4222-8333-444455556666'),
      b64(`2026-03-04T05:06:07.089Z|${cursor.id}|extra`),
      b64(`'; DROP TABLE audit_events; --|${cursor.id}`),
    ]) {
      expect(decodeAuditCursor(bad)).toBeNull();
    }
  });
});
