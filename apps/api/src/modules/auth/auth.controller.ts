import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { MeResponse } from '@isola/contracts';
import { Access, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { clearedSessionCookie, sessionCookie } from '../../common/auth/cookies.js';
import { parseBody } from '../../common/validation.js';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { AuthService, type RequestOrigin } from './auth.service.js';

const loginSchema = z.object({
  email: z.string().trim().min(3).max(320).email('must be an email address'),
  password: z.string().min(1, 'is required').max(1024),
});

export function originOf(req: Request): RequestOrigin {
  return {
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: req.get('user-agent') ?? null,
    correlationId: (req as Request & { id?: string }).id ?? null,
  };
}

function toMe(actor: Actor): MeResponse {
  return {
    user: { id: actor.userId, email: actor.email, displayName: actor.displayName },
    tenant: actor.tenant ? { id: actor.tenant.id, slug: actor.tenant.slug, name: actor.tenant.name } : null,
    role: actor.tenant?.role ?? null,
    staffRole: actor.staffRole,
  };
}

@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Access('public')
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<MeResponse> {
    const { email, password } = parseBody(loginSchema, body);
    const { token, actor } = await this.auth.login(email, password, originOf(req));
    res.setHeader(
      'set-cookie',
      sessionCookie(token, { maxAgeSeconds: this.config.sessionTtlSeconds, secure: this.config.env === 'production' }),
    );
    return toMe(actor);
  }

  @Post('logout')
  @HttpCode(204)
  @Access('authenticated')
  async logout(@CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(actor, originOf(req));
    res.setHeader('set-cookie', clearedSessionCookie(this.config.env === 'production'));
  }

  @Get('me')
  @Access('authenticated')
  me(@CurrentActor() actor: Actor): MeResponse {
    return toMe(actor);
  }
}
