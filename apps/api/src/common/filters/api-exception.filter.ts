import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CommonErrorCode, type ApiError } from '@isola/contracts';
import { isStorageError } from '@isola/tenant-storage';
import { isDatabaseUnavailable } from '../database-unavailable.js';
import { storageErrorToApiException } from '../storage-errors.js';

const codeForStatus: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: CommonErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: CommonErrorCode.Unauthenticated,
  [HttpStatus.FORBIDDEN]: CommonErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: CommonErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: CommonErrorCode.PayloadTooLarge,
};

/** Maps every error to `{ code, message }` with its HTTP status; internals never leak to clients. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toResponse(exception);
    if (status === 503 && body.code === CommonErrorCode.DatabaseUnavailable) this.logger.warn('database unavailable');
    else if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    // a 429 says when to come back in the header clients and proxies read (RFC 9110 §10.2.3), too
    const retryAfter = body.details?.['retryAfterSeconds'];
    if (status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(Math.max(0, Math.ceil(retryAfter))));
    res.status(status).json(body);
  }

  private toResponse(exception: unknown): [number, ApiError] {
    // body-parser tags its errors with a `type`; the Express adapter wraps them as the `cause` of an
    // HttpException (older adapters pass them through unwrapped)
    const bodyParser = ((exception as { cause?: unknown })?.cause ?? exception) as { type?: string };
    if (bodyParser?.type === 'entity.parse.failed') {
      return [400, { code: CommonErrorCode.MalformedJson, message: 'The request body is not valid JSON.' }];
    }
    if (bodyParser?.type === 'entity.too.large') {
      return [413, { code: CommonErrorCode.PayloadTooLarge, message: 'The request body is too large.' }];
    }
    // a storage error a feature did not map itself still gets its domain code, never a bare 500
    if (isStorageError(exception)) return this.toResponse(storageErrorToApiException(exception));
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response && typeof response.code === 'string') {
        return [status, response as ApiError];
      }
      const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
      return [status, { code: codeForStatus[status] ?? (status >= 500 ? CommonErrorCode.Internal : 'REQUEST_FAILED'), message }];
    }
    if (isDatabaseUnavailable(exception)) {
      return [
        503,
        {
          code: CommonErrorCode.DatabaseUnavailable,
          message: 'Isola cannot reach its database right now; try again in a few seconds.',
          details: { retryable: true },
        },
      ];
    }
    return [500, { code: CommonErrorCode.Internal, message: 'Something went wrong on our side; it has been logged.' }];
  }
}
