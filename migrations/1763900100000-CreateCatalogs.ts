import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalogs1763900100000 implements MigrationInterface {
  name = 'CreateCatalogs1763900100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE framework (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        name text NOT NULL,
        version text NOT NULL,
        publisher text NOT NULL,
        effective_date date NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_framework__key ON framework (key)`);

    await q.query(`
      CREATE TABLE framework_section (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        framework_id uuid NOT NULL REFERENCES framework (id),
        ref text NOT NULL,
        title text NOT NULL,
        parent_ref text,
        description text,
        position int NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_framework_section__framework_id_ref ON framework_section (framework_id, ref)`);

    await q.query(`
      CREATE TABLE requirement (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        framework_id uuid NOT NULL REFERENCES framework (id),
        ref text NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        section_ref text NOT NULL,
        section_path jsonb NOT NULL,
        parent_ref text,
        aliases text[] NOT NULL DEFAULT '{}',
        evidence_guidance jsonb NOT NULL,
        attributes jsonb NOT NULL,
        position int NOT NULL,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', ref), 'A') ||
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', description), 'B')
        ) STORED
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_requirement__framework_id_ref ON requirement (framework_id, ref)`);
    await q.query(`CREATE INDEX idx_requirement__search ON requirement USING gin (search)`);
    await q.query(`CREATE INDEX idx_requirement__aliases ON requirement USING gin (aliases)`);

    await q.query(`
      CREATE TABLE requirement_mapping (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_requirement_id uuid NOT NULL REFERENCES requirement (id),
        to_requirement_id uuid NOT NULL REFERENCES requirement (id),
        strength text NOT NULL CHECK (strength IN ('equivalent', 'related')),
        rationale text NOT NULL,
        source_file text NOT NULL,
        CONSTRAINT chk_requirement_mapping__not_self CHECK (from_requirement_id <> to_requirement_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_requirement_mapping__from_to ON requirement_mapping (from_requirement_id, to_requirement_id)`);
    await q.query(`CREATE INDEX idx_requirement_mapping__to ON requirement_mapping (to_requirement_id)`);

    await q.query(`
      CREATE TABLE catalog_load (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        file text NOT NULL,
        version text,
        sha256 text NOT NULL,
        changes jsonb NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_catalog_load__file_loaded_at ON catalog_load (file, loaded_at DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalog_load`);
    await q.query(`DROP TABLE requirement_mapping`);
    await q.query(`DROP TABLE requirement`);
    await q.query(`DROP TABLE framework_section`);
    await q.query(`DROP TABLE framework`);
  }
}
