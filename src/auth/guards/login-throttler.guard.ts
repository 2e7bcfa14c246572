import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';

const WINDOW_SECONDS = 60;

/**
 * Login attempts are limited per client IP and per account (the email tried), so that neither one address nor a
 * guess spread over many addresses at one account gets far. Counters live in memory: the limit is per instance.
 */
@Injectable()
export class LoginThrottlerGuard implements CanActivate {
  private readonly byIp: RateLimiterMemory;
  private readonly byAccount: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const opts = { points: config.loginRateLimit, duration: WINDOW_SECONDS };
    this.byIp = new RateLimiterMemory({ ...opts, keyPrefix: 'login-ip' });
    this.byAccount = new RateLimiterMemory({ ...opts, keyPrefix: 'login-account' });
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const email = (req.body as { email?: unknown } | undefined)?.email;
    const account = typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
    try {
      await Promise.all([this.byIp.consume(req.ip ?? 'unknown'), this.byAccount.consume(account)]);
      return true;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.ceil(e.msBeforeNext / 1000)));
      throw new HttpException('Too many sign-in attempts; wait a minute and try again', HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
