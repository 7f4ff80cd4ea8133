import type { z } from 'zod';
import { CommonErrorCode } from '@isola/contracts';
import { ApiException } from './api.exception.js';

/** Validates a request body or query with zod: 400 VALIDATION_FAILED naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
  const message = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new ApiException(400, CommonErrorCode.ValidationFailed, `The request is not valid: ${message}.`, { fields });
}
