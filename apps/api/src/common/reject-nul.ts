import type { NextFunction, Request, Response } from 'express';
import { CommonErrorCode, type ApiError } from '@isola/contracts';

const NUL_IN_URL = /%00|\u0000/i;

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  const entries = Array.isArray(value) ? value : [...Object.keys(value), ...Object.values(value as Record<string, unknown>)];
  return entries.some((entry) => containsNul(entry, depth + 1));
}

const REFUSAL: ApiError = {
  code: CommonErrorCode.ValidationFailed,
  message: 'The request contains a NUL character (U+0000), which no name, key, id or search accepts.',
};

/**
 * Refuses any request whose URL or JSON body holds a NUL character, before a handler sees it. No
 * Isola value may contain one, and PostgreSQL refuses NUL in text and jsonb: left to reach the
 * database it would be a 500 instead of a clear 400.
 */
export function rejectNulCharacters(req: Request, res: Response, next: NextFunction): void {
  if (NUL_IN_URL.test(req.originalUrl) || containsNul(req.body)) {
    res.status(400).json(REFUSAL);
    return;
  }
  next();
}
