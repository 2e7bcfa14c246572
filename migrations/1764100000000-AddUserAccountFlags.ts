import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two per-user flags:
 * - `password_change_required`: the password was generated for the user (first run, invitation) or reset from the
 *   command line, so it is one-time: until the user chooses their own, every route but the password change refuses.
 * - `can_create_clients`: opening a client (and becoming its consultant) is a privilege admins grant (SPEC 4).
 *   Nobody is granted it here: admins can create clients anyway, and an admin decides who else may.
 */
export class AddUserAccountFlags1764100000000 implements MigrationInterface {
  name = 'AddUserAccountFlags1764100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE app_user ADD COLUMN can_create_clients boolean NOT NULL DEFAULT false`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN can_create_clients`);
    await q.query(`ALTER TABLE app_user DROP COLUMN password_change_required`);
  }
}
