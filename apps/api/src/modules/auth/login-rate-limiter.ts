import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { API_CONFIG, type ApiConfig } from '../../config/env.schema.js';

export interface RateLimitDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Fixed-window login throttling in Redis, so every API instance shares the counts: per (IP, email)
 * and per IP. Failures count; a successful sign-in clears its (IP, email) window.
 */
@Injectable()
export class LoginRateLimiter implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly windowSeconds: number;
  private readonly perAccount: number;
  private readonly perIp: number;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', () => undefined); // surfaced by the commands' own rejections
    this.windowSeconds = config.loginRateLimit.windowSeconds;
    this.perAccount = config.loginRateLimit.perAccount;
    this.perIp = config.loginRateLimit.perIp;
  }

  async check(ip: string, email: string): Promise<RateLimitDecision> {
    const [account, address] = await this.redis.mget(this.accountKey(ip, email), this.ipKey(ip));
    const blocked = Number(account ?? 0) >= this.perAccount || Number(address ?? 0) >= this.perIp;
    if (!blocked) return { allowed: true, retryAfterSeconds: 0 };
    const ttl = Math.max(await this.redis.ttl(this.accountKey(ip, email)), await this.redis.ttl(this.ipKey(ip)), 1);
    return { allowed: false, retryAfterSeconds: ttl };
  }

  async recordFailure(ip: string, email: string): Promise<void> {
    const tx = this.redis.multi();
    for (const key of [this.accountKey(ip, email), this.ipKey(ip)]) tx.incr(key).expire(key, this.windowSeconds, 'NX');
    await tx.exec();
  }

  async recordSuccess(ip: string, email: string): Promise<void> {
    await this.redis.del(this.accountKey(ip, email));
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }

  private accountKey(ip: string, email: string): string {
    return `${this.config.queuePrefix}:login:acct:${ip}:${email}`;
  }

  private ipKey(ip: string): string {
    return `${this.config.queuePrefix}:login:ip:${ip}`;
  }
}
