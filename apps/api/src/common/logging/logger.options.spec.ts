import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { loadApiConfig } from '../../config/env.schema.js';
import { correlationIdOf, loggerOptions } from './logger.options.js';

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

describe('loggerOptions: where the lines go', () => {
  const config = loadApiConfig({ LOG_LEVEL: 'debug' });

  it('logs to stdout (pino-http options alone) unless a destination is given', () => {
    const { pinoHttp: options } = loggerOptions(config);
    expect(Array.isArray(options)).toBe(false);
    expect(options).toMatchObject({ level: 'debug' });
  });

  it('writes every line to the given destination, with credentials redacted', () => {
    const lines: string[] = [];
    const destination: DestinationStream = { write: (line: string) => void lines.push(line) };
    const params = loggerOptions({ ...config, logDestination: destination });
    expect(Array.isArray(params.pinoHttp)).toBe(true);
    const [options, stream] = params.pinoHttp as [Options, DestinationStream];
    expect(stream).toBe(destination);

    const { logger } = pinoHttp(options, stream);
    logger.debug({ credentials: { secretAccessKey: 'very-secret', sessionToken: 'token-value' }, body: { password: 'hunter2' } }, 'minted');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'minted',
      credentials: { secretAccessKey: '[redacted]', sessionToken: '[redacted]' },
      body: { password: '[redacted]' },
    });
    expect(lines[0]).not.toMatch(/very-secret|token-value|hunter2/);
  });
});
