import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CommonErrorCode } from '@isola/contracts';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { AuthService } from '../../modules/auth/auth.service.js';
import { ApiException } from '../api.exception.js';
import { ACCESS_METADATA } from './access.decorator.js';
import { satisfies, type AccessRule, type Actor } from './actor.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { isSameOriginRequest } from './same-origin.js';

/**
 * The one gate every route passes (registered globally): CSRF check on state changes, session →
 * actor, then the route's declared audience. A route that declares nothing is refused — there is no
 * default role.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.reflector.getAllAndOverride<AccessRule[] | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (!rules || rules.length === 0) {
      throw new ApiException(403, CommonErrorCode.Forbidden, 'This route declares no audience, so nobody may call it.');
    }
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor | null }>();
    if (!isSameOriginRequest(req.method, req.headers, this.config.webOrigins)) {
      throw new ApiException(403, CommonErrorCode.CsrfRejected, 'State-changing requests must come from the Isola web app (Origin check).');
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const actor = token ? await this.auth.resolve(token) : null;
    req.actor = actor;
    if (rules.some((rule) => satisfies(actor, rule))) return true;
    if (actor === null) throw new ApiException(401, CommonErrorCode.Unauthenticated, 'Sign in first.');
    throw new ApiException(403, CommonErrorCode.Forbidden, 'Your role does not allow this.');
  }
}
