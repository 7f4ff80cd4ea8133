import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { ApiConfig } from '../../config/env.schema.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The correlation id of a request: the caller's `x-request-id` when well-formed, else a new one. */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Where the log lines go. Not an environment value: production logs to stdout; code that builds the
 * app itself (the security suite, which scans everything the API logged) passes a stream.
 */
export interface LogDestinationOption {
  /** A pino destination for the JSON lines; stdout when absent. */
  logDestination?: DestinationStream;
}

/**
 * JSON logs with the correlation id on every line. Cookies, authorization headers and anything that
 * looks like a credential are redacted; query strings are dropped from logged URLs (a presigned URL's
 * signature must never reach a log).
 */
export function loggerOptions(config: ApiConfig & LogDestinationOption): Params {
  const options: Options = {
    level: config.logLevel,
    genReqId: (req, res) => {
      const id = correlationIdOf(req);
      res.setHeader('x-request-id', id);
      return id;
    },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.secretAccessKey',
        '*.sessionToken',
        '*.password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      // status only: response headers would repeat helmet's on every line (and may carry cookies)
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/api/health' },
  };
  return { pinoHttp: config.logDestination === undefined ? options : [options, config.logDestination] };
}
