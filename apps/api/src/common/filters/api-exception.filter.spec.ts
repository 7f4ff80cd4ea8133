import { BadRequestException, HttpException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { StorageError, StorageErrorCode } from '@isola/tenant-storage';
import { ApiException } from '../api.exception.js';
import { ApiExceptionFilter } from './api-exception.filter.js';

function respond(exception: unknown): { status: number; body: unknown } {
  const out = { status: 0, body: undefined as unknown };
  const res = {
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: unknown) {
      out.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ApiExceptionFilter().catch(exception, host);
  return out;
}

describe('ApiExceptionFilter', () => {
  it('passes feature exceptions through as { code, message }', () => {
    expect(respond(new ApiException(409, 'UPLOAD_ALREADY_COMPLETED', 'This upload is already complete.'))).toEqual({
      status: 409,
      body: { code: 'UPLOAD_ALREADY_COMPLETED', message: 'This upload is already complete.' },
    });
  });

  it('gives framework exceptions a code from their status', () => {
    expect(respond(new NotFoundException('Cannot GET /api/nope'))).toEqual({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'Cannot GET /api/nope' },
    });
  });

  it('recognises body-parser errors wrapped by the Express adapter', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected end of JSON input'), { type: 'entity.parse.failed', status: 400 });
    expect(respond(new BadRequestException(parseError.message, { cause: parseError }))).toEqual({
      status: 400,
      body: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' },
    });
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large' });
    expect(respond(new HttpException('too large', 413, { cause: tooLarge })).body).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is too large.',
    });
  });

  it('gives a storage error that escaped its feature its domain code and status', () => {
    const error = new StorageError(StorageErrorCode.STORAGE_ACCESS_REVOKED, 'The studio revoked access.', { retryable: false });
    expect(respond(error)).toEqual({
      status: 409,
      body: { code: 'STORAGE_ACCESS_REVOKED', message: 'The studio revoked access.', details: { retryable: false } },
    });
    expect(respond(new StorageError(StorageErrorCode.STORAGE_UNAVAILABLE, 'down', { retryable: true })).status).toBe(503);
  });

  it('never leaks internals of unexpected errors', () => {
    const { status, body } = respond(new Error('connection string postgresql://secret@db leaked'));
    expect(status).toBe(500);
    expect(body).toEqual({ code: 'INTERNAL_ERROR', message: 'Something went wrong on our side; it has been logged.' });
  });
});
