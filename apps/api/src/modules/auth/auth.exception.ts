import { ApiException } from '../../common/api.exception.js';

export const AuthErrorCode = {
  InvalidCredentials: 'INVALID_CREDENTIALS',
  RateLimited: 'LOGIN_RATE_LIMITED',
} as const;

export class AuthException extends ApiException {
  static invalidCredentials(): AuthException {
    return new AuthException(401, AuthErrorCode.InvalidCredentials, 'The email or password is not correct.');
  }

  static rateLimited(retryAfterSeconds: number): AuthException {
    return new AuthException(429, AuthErrorCode.RateLimited, `Too many sign-in attempts. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }
}
