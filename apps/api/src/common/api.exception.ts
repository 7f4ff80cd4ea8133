import { HttpException } from '@nestjs/common';

/**
 * The one exception shape features throw: an HTTP status, a machine-readable UPPER_SNAKE code and a
 * human message. Feature modules subclass it with their own code enums (`UploadsException`, …).
 */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super({ code, message, ...(details ? { details } : {}) }, status);
  }
}
