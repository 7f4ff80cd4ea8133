import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@isola/runtime';
import type { Actor } from '../../common/auth/actor.js';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';
import { AuditService } from '../audit/audit.service.js';
import { AuthException } from './auth.exception.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';

export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
  correlationId: string | null;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Verifies the password and opens a session; every attempt is throttled and audited. */
  async login(emailInput: string, password: string, origin: RequestOrigin): Promise<{ token: string; actor: Actor }> {
    const email = emailInput.trim().toLowerCase();
    const decision = await this.limiter.check(origin.ip, email);
    if (!decision.allowed) throw AuthException.rateLimited(decision.retryAfterSeconds);

    const user = await this.sessions.findUserByEmail(email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (!user || !ok) {
      await this.limiter.recordFailure(origin.ip, email);
      await this.audit.record({
        tenantId: null,
        action: 'auth.login_failed',
        actor: null,
        ...this.auditOrigin(origin),
        details: { email },
      });
      throw AuthException.invalidCredentials();
    }
    await this.limiter.recordSuccess(origin.ip, email);
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sessionTtlSeconds * 1000);
    const { token } = await this.sessions.create(user.id, expiresAt);
    const actor = await this.sessions.findActor(token, this.clock.now());
    if (!actor) throw new Error('a session created a moment ago cannot be read back');
    await this.audit.record({ tenantId: actor.tenant?.id ?? null, action: 'auth.login', actor, ...this.auditOrigin(origin) });
    return { token, actor };
  }

  async logout(actor: Actor, origin: RequestOrigin): Promise<void> {
    await this.sessions.delete(actor.sessionId);
    await this.audit.record({ tenantId: actor.tenant?.id ?? null, action: 'auth.logout', actor, ...this.auditOrigin(origin) });
  }

  resolve(token: string): Promise<Actor | null> {
    return this.sessions.findActor(token, this.clock.now());
  }

  private auditOrigin(origin: RequestOrigin) {
    return { ip: origin.ip, userAgent: origin.userAgent, correlationId: origin.correlationId };
  }
}
