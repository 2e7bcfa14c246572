import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';

const WINDOW_SECONDS = 60;

/**
 * Counters of sign-in attempts per client IP and per account (the email tried), so that neither one address nor a
 * guess spread over many addresses at one account gets far. One instance per app (exported by AuthModule): the API
 * and the web UI sign-in spend the same budget. Counters live in memory, so the limit is per instance.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly byIp: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const opts = { points: config.loginRateLimit, duration: WINDOW_SECONDS };
    this.byIp = new RateLimiterMemory({ ...opts, keyPrefix: 'login-ip' });
    this.byAccount = new RateLimiterMemory({ ...opts, keyPrefix: 'login-account' });
  }

  /** Spends one attempt of both budgets; resolves to the seconds to wait when one is exhausted, else null. */
  async consume(ip: string, email: unknown): Promise<number | null> {
    const account = typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
    try {
      await Promise.all([this.byIp.consume(ip), this.byAccount.consume(account)]);
      return null;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return Math.ceil(e.msBeforeNext / 1000);
    }
  }
}

/** Applies the shared LoginRateLimiter to a sign-in route (API or web UI). */
@Injectable()
export class LoginThrottlerGuard implements CanActivate {
  constructor(private readonly limiter: LoginRateLimiter) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const wait = await this.limiter.consume(req.ip ?? 'unknown', (req.body as { email?: unknown } | undefined)?.email);
    if (wait === null) return true;
    ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
    throw new HttpException('Too many sign-in attempts; wait a minute and try again', HttpStatus.TOO_MANY_REQUESTS);
  }
}
