import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters of failed sign-ins, shared by every instance (src/auth/sign-in-limiter.service.ts). The table is
 * rate-limiter-flexible's PostgreSQL store, created here rather than by the library (it runs with
 * `tableCreated: true`), so that the service's database role never needs CREATE. The library writes positional
 * `INSERT ... VALUES (key, points, expire)`: the columns, their order and the primary key must stay as they are.
 * `expire` is milliseconds since the epoch (the library's clock), NULL for "never".
 */
export class CreateSignInLimit1764150000000 implements MigrationInterface {
  name = 'CreateSignInLimit1764150000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_limit (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    // The library deletes expired rows every few minutes (DELETE ... WHERE expire < $1).
    await q.query(`CREATE INDEX idx_sign_in_limit__expire ON sign_in_limit (expire)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_limit`);
  }
}
