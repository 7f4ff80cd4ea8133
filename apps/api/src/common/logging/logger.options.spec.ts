import type { IncomingMessage } from 'node:http';
import { correlationIdOf } from './logger.options.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('correlationIdOf', () => {
  it('keeps a well-formed x-request-id so API and worker lines join up', () => {
    expect(correlationIdOf(req({ 'x-request-id': 'abc-123_def.456' }))).toBe('abc-123_def.456');
  });

  it('replaces a missing or suspicious one with a fresh uuid', () => {
    for (const value of [undefined, '', 'short', 'has spaces in it', 'x'.repeat(65), 'line\nbreak-injection']) {
      const id = correlationIdOf(req(value === undefined ? {} : { 'x-request-id': value }));
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
