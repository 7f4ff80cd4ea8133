import type { AwsErrorInfo } from './classify-aws-error.js';
import type { AwsService } from './storage-error.js';

/**
 * Reads what `classifyAwsError` needs from whatever an AWS SDK call threw: the exception `name`, the
 * provider's `Code`, the HTTP status in `$metadata`, or a Node network code (`ECONNREFUSED`), which
 * may sit on the error itself or on its `cause` (fetch-based handlers). Never reads the message or
 * the request: those may carry signatures.
 */
export function awsErrorInfoFrom(error: unknown, service: AwsService, operation: string): AwsErrorInfo {
  const info: AwsErrorInfo = { service, operation };
  if (typeof error !== 'object' || error === null) return info;
  const fields = error as { name?: unknown; Code?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; cause?: unknown };
  if (typeof fields.name === 'string') info.name = fields.name;
  const cause = typeof fields.cause === 'object' && fields.cause !== null ? (fields.cause as { code?: unknown }) : undefined;
  const code = [fields.Code, fields.code, cause?.code].find((candidate): candidate is string => typeof candidate === 'string');
  if (code !== undefined) info.code = code;
  const status = fields.$metadata?.httpStatusCode;
  if (typeof status === 'number') info.httpStatus = status;
  return info;
}
