import { Global, Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';

@Global()
@Module({
  controllers: [AuthController],
  providers: [AuthService, SessionsRepository, PasswordHasher, LoginRateLimiter],
  exports: [AuthService, PasswordHasher],
})
export class AuthModule {}
