import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentityTenancyAudit1763900000000 implements MigrationInterface {
  name = 'CreateIdentityTenancyAudit1763900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        is_admin boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        deactivated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_app_user__email_lower CHECK (email = lower(email))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_app_user__email ON app_user (email)`);

    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user (id),
        name text NOT NULL,
        token_hash text NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_api_token__token_hash ON api_token (token_hash)`);
    await q.query(`CREATE INDEX idx_api_token__user_id ON api_token (user_id)`);

    await q.query(`
      CREATE TABLE client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_client__name ON client (lower(name))`);

    await q.query(`
      CREATE TABLE client_member (
        client_id uuid NOT NULL REFERENCES client (id),
        user_id uuid NOT NULL REFERENCES app_user (id),
        role text NOT NULL CHECK (role IN ('consultant', 'member', 'auditor')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_id, user_id)
      )`);
    await q.query(`CREATE INDEX idx_client_member__user_id ON client_member (user_id)`);

    await q.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_user_id uuid REFERENCES app_user (id),
        client_id uuid REFERENCES client (id),
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX idx_audit_event__client_id_at ON audit_event (client_id, at DESC, id DESC)`);
    await q.query(`CREATE INDEX idx_audit_event__entity ON audit_event (entity_type, entity_id)`);
    // History is append-only: the database itself refuses to rewrite or erase it, whatever the code does.
    await q.query(`
      CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_audit_event__append_only BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`);
    await q.query(`
      CREATE TRIGGER trg_audit_event__no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_refuse_change()`);
    await q.query(`DROP TABLE client_member`);
    await q.query(`DROP TABLE client`);
    await q.query(`DROP TABLE api_token`);
    await q.query(`DROP TABLE app_user`);
  }
}
