import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { CatalogFile, MappingFile, sectionPath } from 'src/catalogs/catalog-files';

export interface SyncCounts {
  inserted: number;
  updated: number;
  retired: number;
}

type Flagged = { inserted: boolean }[];

const countUpserts = (rows: Flagged) => ({
  inserted: rows.filter((r) => r.inserted).length,
  updated: rows.filter((r) => !r.inserted).length,
});

/** The SQL of catalog loading. Every statement handles a whole file at once (jsonb_to_recordset), never a row. */
@Injectable()
export class CatalogSyncRepository {
  /** Serialises loaders across instances for the length of the caller's transaction. */
  async lock(tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(727311002)`);
  }

  async lastLoadedSha(tx: EntityManager, file: string): Promise<string | null> {
    const rows: { sha256: string }[] = await tx.query(`SELECT sha256 FROM catalog_load WHERE file = $1 ORDER BY id DESC LIMIT 1`, [file]);
    return rows[0]?.sha256 ?? null;
  }

  async recordLoad(tx: EntityManager, file: string, version: string | null, sha256: string, changes: object): Promise<void> {
    await tx.query(`INSERT INTO catalog_load (file, version, sha256, changes) VALUES ($1, $2, $3, $4)`, [file, version, sha256, JSON.stringify(changes)]);
  }

  /** Upserts the framework row; returns its id and whether anything changed. */
  async upsertFramework(tx: EntityManager, f: CatalogFile['framework']): Promise<{ id: string; changed: boolean }> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO framework (key, name, version, publisher, effective_date, description, rollup_depth)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version, publisher = EXCLUDED.publisher,
         effective_date = EXCLUDED.effective_date, description = EXCLUDED.description, rollup_depth = EXCLUDED.rollup_depth,
         updated_at = now()
       WHERE (framework.name, framework.version, framework.publisher, framework.effective_date, framework.description, framework.rollup_depth)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.version, EXCLUDED.publisher, EXCLUDED.effective_date, EXCLUDED.description, EXCLUDED.rollup_depth)
       RETURNING id`,
      [f.key, f.name, f.version, f.publisher, f.effectiveDate, f.description ?? null, f.rollupDepth ?? 1],
    );
    if (rows.length) return { id: rows[0].id, changed: true };
    const [row] = (await tx.query(`SELECT id FROM framework WHERE key = $1`, [f.key])) as { id: string }[];
    return { id: row.id, changed: false };
  }

  async syncSections(tx: EntityManager, frameworkId: string, c: CatalogFile): Promise<SyncCounts> {
    const rows = c.sections.map((s, i) => ({ ref: s.ref, title: s.title, parent_ref: s.parent ?? null, description: s.description ?? null, position: i }));
    const upserted: Flagged = await tx.query(
      `INSERT INTO framework_section (framework_id, ref, title, parent_ref, description, position)
       SELECT $1, x.ref, x.title, x.parent_ref, x.description, x.position
         FROM jsonb_to_recordset($2::jsonb) AS x(ref text, title text, parent_ref text, description text, position int)
       ON CONFLICT (framework_id, ref) DO UPDATE SET title = EXCLUDED.title, parent_ref = EXCLUDED.parent_ref,
         description = EXCLUDED.description, position = EXCLUDED.position
       WHERE (framework_section.title, framework_section.parent_ref, framework_section.description, framework_section.position)
         IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.parent_ref, EXCLUDED.description, EXCLUDED.position)
       RETURNING (xmax = 0) AS inserted`,
      [frameworkId, JSON.stringify(rows)],
    );
    // Sections only give structure (no client data points at them), so one that left the file can go.
    const [, removed] = (await tx.query(`DELETE FROM framework_section WHERE framework_id = $1 AND NOT (ref = ANY($2::text[]))`, [
      frameworkId,
      rows.map((r) => r.ref),
    ])) as [unknown, number];
    return { ...countUpserts(upserted), retired: removed ?? 0 };
  }

  /**
   * Inserts new requirements, updates changed ones (and revives any that come back), and retires those that left
   * the file. Requirements are never deleted: clients' controls point at them.
   */
  async syncRequirements(tx: EntityManager, frameworkId: string, c: CatalogFile): Promise<SyncCounts> {
    const rows = c.requirements.map((r, i) => ({
      ref: r.ref,
      title: r.title,
      description: r.description,
      section_ref: r.section,
      section_path: sectionPath(c, r.section),
      parent_ref: r.parent ?? null,
      aliases: r.aliases ?? [],
      evidence_guidance: r.evidence,
      attributes: r.attributes,
      position: i,
    }));
    const upserted: Flagged = await tx.query(
      `INSERT INTO requirement (framework_id, ref, title, description, section_ref, section_path, parent_ref, aliases,
                                evidence_guidance, attributes, position)
       SELECT $1, x.ref, x.title, x.description, x.section_ref, x.section_path, x.parent_ref,
              ARRAY(SELECT jsonb_array_elements_text(x.aliases)), x.evidence_guidance, x.attributes, x.position
         FROM jsonb_to_recordset($2::jsonb) AS x(ref text, title text, description text, section_ref text, section_path jsonb,
              parent_ref text, aliases jsonb, evidence_guidance jsonb, attributes jsonb, position int)
       ON CONFLICT (framework_id, ref) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
         section_ref = EXCLUDED.section_ref, section_path = EXCLUDED.section_path, parent_ref = EXCLUDED.parent_ref,
         aliases = EXCLUDED.aliases, evidence_guidance = EXCLUDED.evidence_guidance, attributes = EXCLUDED.attributes,
         position = EXCLUDED.position, retired_at = NULL, updated_at = now()
       WHERE (requirement.title, requirement.description, requirement.section_ref, requirement.section_path, requirement.parent_ref,
              requirement.aliases, requirement.evidence_guidance, requirement.attributes, requirement.position, requirement.retired_at)
         IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.description, EXCLUDED.section_ref, EXCLUDED.section_path, EXCLUDED.parent_ref,
              EXCLUDED.aliases, EXCLUDED.evidence_guidance, EXCLUDED.attributes, EXCLUDED.position, NULL::timestamptz)
       RETURNING (xmax = 0) AS inserted`,
      [frameworkId, JSON.stringify(rows)],
    );
    const [, retired] = (await tx.query(
      `UPDATE requirement SET retired_at = now(), updated_at = now()
        WHERE framework_id = $1 AND retired_at IS NULL AND NOT (ref = ANY($2::text[]))`,
      [frameworkId, rows.map((r) => r.ref)],
    )) as [unknown, number];
    return { ...countUpserts(upserted), retired: retired ?? 0 };
  }

  /** Makes the stored links of one mapping file equal to the file. */
  async syncMappings(tx: EntityManager, file: string, m: MappingFile): Promise<SyncCounts> {
    const links = m.links.map((l) => ({ from_ref: l.from, to_ref: l.to, strength: l.strength, rationale: l.rationale }));
    const upserted: Flagged = await tx.query(
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(from_ref text, to_ref text, strength text, rationale text))
       INSERT INTO requirement_mapping (from_requirement_id, to_requirement_id, strength, rationale, source_file)
       SELECT rf.id, rt.id, x.strength, x.rationale, $4
         FROM x
         JOIN requirement rf ON rf.ref = x.from_ref AND rf.framework_id = (SELECT id FROM framework WHERE key = $2)
         JOIN requirement rt ON rt.ref = x.to_ref AND rt.framework_id = (SELECT id FROM framework WHERE key = $3)
       ON CONFLICT (from_requirement_id, to_requirement_id) DO UPDATE SET strength = EXCLUDED.strength,
         rationale = EXCLUDED.rationale, source_file = EXCLUDED.source_file
       WHERE (requirement_mapping.strength, requirement_mapping.rationale, requirement_mapping.source_file)
         IS DISTINCT FROM (EXCLUDED.strength, EXCLUDED.rationale, EXCLUDED.source_file)
       RETURNING (xmax = 0) AS inserted`,
      [JSON.stringify(links), m.from, m.to, file],
    );
    const [, removed] = (await tx.query(
      `DELETE FROM requirement_mapping rm
        WHERE rm.source_file = $1
          AND NOT EXISTS (
            SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS x(from_ref text, to_ref text)
              JOIN requirement rf ON rf.ref = x.from_ref AND rf.id = rm.from_requirement_id
              JOIN requirement rt ON rt.ref = x.to_ref AND rt.id = rm.to_requirement_id)`,
      [file, JSON.stringify(links)],
    )) as [unknown, number];
    return { ...countUpserts(upserted), retired: removed ?? 0 };
  }
}
