import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateControlsAndEvidence1763900200000 implements MigrationInterface {
  name = 'CreateControlsAndEvidence1763900200000';

  public async up(q: QueryRunner): Promise<void> {
    // Which section level readiness rolls up to (1 = top level of the catalog's hierarchy).
    await q.query(`ALTER TABLE framework ADD COLUMN rollup_depth int NOT NULL DEFAULT 1`);

    await q.query(`
      CREATE TABLE client_framework (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES client (id),
        framework_id uuid NOT NULL REFERENCES framework (id),
        enrolled_at timestamptz NOT NULL DEFAULT now(),
        enrolled_by uuid REFERENCES app_user (id),
        unenrolled_at timestamptz,
        unenrolled_by uuid REFERENCES app_user (id)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_client_framework__active ON client_framework (client_id, framework_id) WHERE unenrolled_at IS NULL`);

    await q.query(`
      CREATE TABLE control (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES client (id),
        framework_id uuid NOT NULL REFERENCES framework (id),
        requirement_id uuid NOT NULL REFERENCES requirement (id),
        status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'implemented')),
        owner_user_id uuid REFERENCES app_user (id),
        due_date date,
        notes text,
        applicable boolean NOT NULL DEFAULT true,
        justification text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_control__justified CHECK (applicable OR length(btrim(coalesce(justification, ''))) > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_control__client_id_requirement_id ON control (client_id, requirement_id)`);
    await q.query(`CREATE INDEX idx_control__client_id_framework_id ON control (client_id, framework_id)`);
    await q.query(`CREATE INDEX idx_control__owner_user_id ON control (owner_user_id) WHERE owner_user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES client (id),
        title text NOT NULL,
        description text,
        original_filename text NOT NULL,
        media_type text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid NOT NULL REFERENCES app_user (id),
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        effective_date date NOT NULL,
        valid_until date,
        review_state text NOT NULL DEFAULT 'pending' CHECK (review_state IN ('pending', 'accepted', 'rejected')),
        reviewed_by uuid REFERENCES app_user (id),
        reviewed_at timestamptz,
        review_comment text,
        withdrawn_at timestamptz,
        withdrawn_by uuid REFERENCES app_user (id),
        withdraw_reason text
      )`);
    await q.query(`CREATE INDEX idx_evidence__client_id_uploaded_at ON evidence (client_id, uploaded_at DESC)`);
    await q.query(`CREATE INDEX idx_evidence__sha256 ON evidence (sha256)`);

    await q.query(`
      CREATE TABLE evidence_link (
        evidence_id uuid NOT NULL REFERENCES evidence (id),
        control_id uuid NOT NULL REFERENCES control (id),
        linked_by uuid REFERENCES app_user (id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (evidence_id, control_id)
      )`);
    await q.query(`CREATE INDEX idx_evidence_link__control_id ON evidence_link (control_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_link`);
    await q.query(`DROP TABLE evidence`);
    await q.query(`DROP TABLE control`);
    await q.query(`DROP TABLE client_framework`);
    await q.query(`ALTER TABLE framework DROP COLUMN rollup_depth`);
  }
}
