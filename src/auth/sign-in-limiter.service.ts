import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

import { signInAddress } from 'src/auth/sign-in-address';
import { SignInLimitStore } from 'src/auth/sign-in-limit.store';
import { RetryLaterException } from 'src/common/errors';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';

/** The table of migrations/1764150000000-CreateSignInLimit.ts. */
export const SIGN_IN_LIMIT_TABLE = 'sign_in_limit';
/** First block of an account+address pair that reached the limit; each further failure doubles it. */
export const BLOCK_BASE_SECONDS = 60;
export const BLOCK_MAX_SECONDS = 60 * 60;
/** A streak of failures is forgotten this long after it began, success or not. */
const STREAK_SECONDS = 24 * 60 * 60;
/** Window of the per-address budget of failures. */
const ADDRESS_WINDOW_SECONDS = 60 * 60;

/**
 * The limiter's keys. Hashed: the table has room for 255 characters (an email alone may take 254), and it need
 * not hold the addresses and emails people typed. Exported for the tests, which end blocks by moving time.
 */
export function signInLimitKeys(email: string, ip: string | undefined): { pair: string; address: string } {
  const address = signInAddress(ip);
  const account = email.trim().toLowerCase();
  const hash = (parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return { pair: hash([account, address]), address: hash([address]) };
}

const blockSeconds = (failuresPastLimit: number) => Math.min(BLOCK_MAX_SECONDS, BLOCK_BASE_SECONDS * 2 ** Math.min(failuresPastLimit, 20));

function throttled(ms: number): RetryLaterException {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const when = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, `Too many sign-in attempts: try again in ${when}`, seconds);
}

/**
 * Limits password guessing without letting anyone lock a user out from elsewhere (issue 10, item 2):
 * - only failures count, and a success clears the streak of its account+address pair;
 * - per account+address pair: after LOGIN_RATE_LIMIT failures in a row the pair is blocked for a minute, and
 *   every further failure doubles the block (up to an hour). Failures from other addresses never touch the pair,
 *   so the right password from a clean address always works;
 * - per address (IPv6: per /64): LOGIN_ADDRESS_RATE_LIMIT failures an hour, whatever the accounts, so one address
 *   cannot spray a password over many accounts.
 * A blocked pair is refused even with the right password: otherwise a guesser would learn the password from the one
 * answer that is not 429. Unknown accounts are counted exactly like real ones, so a 429 says nothing about whether
 * an account exists.
 *
 * Counters live in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres over the app's pool), shared by every
 * instance. An attempt takes its point before the password is checked, so concurrent guesses cannot all slip
 * through before the first failure is recorded; the point is handed back when the attempt is refused or succeeds.
 */
@Injectable()
export class SignInLimiter {
  /** Failures in a row per account+address pair (attempts in flight included). */
  private readonly streaks: RateLimiterPostgres;
  /** Blocked pairs; past the limit, also the one attempt a pair may make once its block has ended. */
  private readonly blocks: RateLimiterPostgres;
  /** Failures per address, per hour (attempts in flight included). */
  private readonly addresses: RateLimiterPostgres;
  private readonly pairLimit: number;
  private readonly addressLimit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, store: SignInLimitStore) {
    // The table is ours (a migration): the library must not try to create it, so the service role needs no CREATE.
    const base = { storeClient: store, storeType: 'client', tableName: SIGN_IN_LIMIT_TABLE, tableCreated: true, clearExpiredByTimeout: false };
    this.pairLimit = config.loginRateLimit;
    this.addressLimit = config.loginAddressRateLimit;
    // One limiter is enough to delete the table's expired rows (of every prefix) now and then.
    this.streaks = new RateLimiterPostgres({ ...base, keyPrefix: 'streak', points: this.pairLimit, duration: STREAK_SECONDS, clearExpiredByTimeout: true });
    this.blocks = new RateLimiterPostgres({ ...base, keyPrefix: 'block', points: 1, duration: BLOCK_BASE_SECONDS });
    this.addresses = new RateLimiterPostgres({ ...base, keyPrefix: 'address', points: this.addressLimit, duration: ADDRESS_WINDOW_SECONDS });
  }

  /**
   * Runs `verify` (the password check) if the limits allow, and counts its outcome: null is a failure.
   * Throws a 429 RetryLaterException when refused, without running `verify`.
   */
  async attempt<T>(email: string, ip: string | undefined, verify: () => Promise<T | null>): Promise<T | null> {
    const { pair, address } = signInLimitKeys(email, ip);

    // Reads first, so that a refused caller costs no write.
    const [block, spent] = await Promise.all([this.blocks.get(pair), this.addresses.get(address)]);
    if (block) throw throttled(block.msBeforeNext);
    if (spent && spent.consumedPoints >= this.addressLimit) throw throttled(spent.msBeforeNext);

    // Take the points before checking the password; the upserts are atomic, so concurrent attempts count.
    const [streak, spentNow] = await Promise.all([this.streaks.penalty(pair), this.addresses.penalty(address)]);
    const giveBack = () => Promise.all([this.streaks.reward(pair), this.addresses.reward(address)]);
    if (spentNow.consumedPoints > this.addressLimit) {
      await giveBack();
      throw throttled(spentNow.msBeforeNext);
    }
    if (streak.consumedPoints > this.pairLimit) {
      // Past the limit a pair gets one attempt per ended block: the first to take the turn, no one else.
      const turn = await this.takeTurn(pair);
      if (turn) {
        await giveBack();
        throw throttled(turn.msBeforeNext);
      }
    }

    let result: T | null;
    try {
      result = await verify();
    } catch (e) {
      await giveBack().catch(() => undefined);
      throw e;
    }
    if (result !== null) {
      await Promise.all([this.streaks.delete(pair), this.blocks.delete(pair), this.addresses.reward(address)]);
    } else if (streak.consumedPoints >= this.pairLimit) {
      await this.blocks.set(pair, 1, blockSeconds(streak.consumedPoints - this.pairLimit));
    }
    return result;
  }

  /** Takes the pair's one attempt after a block; resolves to the refusal (with its wait) when another took it. */
  private async takeTurn(pair: string): Promise<RateLimiterRes | null> {
    try {
      await this.blocks.consume(pair);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) return e;
      throw e;
    }
  }
}
