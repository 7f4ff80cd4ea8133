import type { NextFunction, Request, Response } from 'express';
import { CommonErrorCode, type ApiError } from '@isola/contracts';

const NUL_IN_URL = /%00|\u0000/i;

const REFUSAL: ApiError = {
  code: CommonErrorCode.ValidationFailed,
  message: 'The URL contains a NUL character (%00), which no id, key or search accepts.',
};

/**
 * Refuses any request whose path or query holds a NUL character, before a handler sees it: no id,
 * key or search term may contain one, and PostgreSQL refuses NUL in text and jsonb — left to reach
 * the database it would be a 500 instead of a clear 400. (JSON bodies go through their validators:
 * a filename's control characters, NUL included, are removed by the filename rule.)
 */
export function rejectNulCharacters(req: Request, res: Response, next: NextFunction): void {
  if (NUL_IN_URL.test(req.originalUrl)) {
    res.status(400).json(REFUSAL);
    return;
  }
  next();
}
