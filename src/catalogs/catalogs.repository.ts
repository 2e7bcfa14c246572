import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface FrameworkRow {
  id: string;
  key: string;
  name: string;
  version: string;
  publisher: string;
  effectiveDate: string;
  description: string | null;
  requirementCount: number;
  retiredCount: number;
  sectionCount: number;
}

export interface RequirementRow {
  id: string;
  frameworkKey: string;
  ref: string;
  title: string;
  description: string;
  sectionRef: string;
  sectionPath: { ref: string; title: string }[];
  parentRef: string | null;
  aliases: string[];
  evidenceGuidance: string[];
  attributes: Record<string, unknown>;
  retiredAt: Date | null;
}

export interface MappingRow {
  fromFramework: string;
  fromRef: string;
  fromTitle: string;
  toFramework: string;
  toRef: string;
  toTitle: string;
  strength: 'equivalent' | 'related';
  rationale: string;
}

export interface RequirementFilter {
  frameworkId: string;
  section?: string;
  search?: string;
  attributes: Record<string, unknown>;
  includeRetired: boolean;
}

const REQUIREMENT_COLUMNS = `r.id, f.key AS "frameworkKey", r.ref, r.title, r.description, r.section_ref AS "sectionRef",
  r.section_path AS "sectionPath", r.parent_ref AS "parentRef", r.aliases, r.evidence_guidance AS "evidenceGuidance",
  r.attributes, r.retired_at AS "retiredAt"`;

/** Reading the catalogs: frameworks, requirements, mappings. */
@Injectable()
export class CatalogsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findFrameworks(key?: string): Promise<FrameworkRow[]> {
    return this.dataSource.query(
      `SELECT f.id, f.key, f.name, f.version, f.publisher, to_char(f.effective_date, 'YYYY-MM-DD') AS "effectiveDate", f.description,
              (SELECT count(*)::int FROM requirement r WHERE r.framework_id = f.id AND r.retired_at IS NULL) AS "requirementCount",
              (SELECT count(*)::int FROM requirement r WHERE r.framework_id = f.id AND r.retired_at IS NOT NULL) AS "retiredCount",
              (SELECT count(*)::int FROM framework_section s WHERE s.framework_id = f.id) AS "sectionCount"
         FROM framework f WHERE $1::text IS NULL OR f.key = $1 ORDER BY f.key`,
      [key ?? null],
    );
  }

  findSections(frameworkId: string): Promise<{ ref: string; title: string; parentRef: string | null; description: string | null }[]> {
    return this.dataSource.query(
      `SELECT ref, title, parent_ref AS "parentRef", description FROM framework_section WHERE framework_id = $1 ORDER BY position`,
      [frameworkId],
    );
  }

  /** Filtered page; a text search ranks by relevance, otherwise the catalog's own order. */
  async findRequirements(f: RequirementFilter, offset: number, limit: number): Promise<[RequirementRow[], number]> {
    const params: unknown[] = [f.frameworkId];
    const where = ['r.framework_id = $1'];
    if (!f.includeRetired) where.push('r.retired_at IS NULL');
    if (f.section) {
      params.push(f.section, JSON.stringify([{ ref: f.section }]));
      where.push(`(r.section_ref = $${params.length - 1} OR r.section_path @> $${params.length}::jsonb)`);
    }
    if (Object.keys(f.attributes).length) {
      params.push(JSON.stringify(f.attributes));
      where.push(`r.attributes @> $${params.length}::jsonb`);
    }
    let order = 'r.position';
    if (f.search) {
      params.push(f.search);
      const q = `$${params.length}`;
      where.push(`(r.search @@ websearch_to_tsquery('english', ${q}) OR r.ref ILIKE ${q} || '%' OR ${q} = ANY(r.aliases))`);
      order = `(r.ref = ${q} OR ${q} = ANY(r.aliases)) DESC, ts_rank(r.search, websearch_to_tsquery('english', ${q})) DESC, r.position`;
    }
    const from = `FROM requirement r JOIN framework f ON f.id = r.framework_id WHERE ${where.join(' AND ')}`;
    const [rows, count] = await Promise.all([
      this.dataSource.query(`SELECT ${REQUIREMENT_COLUMNS} ${from} ORDER BY ${order} OFFSET $${params.length + 1} LIMIT $${params.length + 2}`, [
        ...params,
        offset,
        limit,
      ]),
      this.dataSource.query(`SELECT count(*)::int AS n ${from}`, params),
    ]);
    return [rows, (count as { n: number }[])[0].n];
  }

  /** By official ref, or by one of its aliases (e.g. the short form of a HIPAA standard). The ref wins. */
  async findRequirement(frameworkId: string, ref: string): Promise<RequirementRow | null> {
    const rows: RequirementRow[] = await this.dataSource.query(
      `SELECT ${REQUIREMENT_COLUMNS} FROM requirement r JOIN framework f ON f.id = r.framework_id
        WHERE r.framework_id = $1 AND (r.ref = $2 OR $2 = ANY(r.aliases))
        ORDER BY (r.ref = $2) DESC LIMIT 1`,
      [frameworkId, ref],
    );
    return rows[0] ?? null;
  }

  findChildren(frameworkId: string, ref: string): Promise<{ ref: string; title: string }[]> {
    return this.dataSource.query(
      `SELECT ref, title FROM requirement WHERE framework_id = $1 AND parent_ref = $2 AND retired_at IS NULL ORDER BY position`,
      [frameworkId, ref],
    );
  }

  /** Links touching one requirement, seen from its side whichever way they were stored. */
  findMappingsOf(requirementId: string): Promise<MappingRow[]> {
    return this.dataSource.query(
      `${MAPPING_SELECT} WHERE (m.from_requirement_id = $1 OR m.to_requirement_id = $1) AND rb.retired_at IS NULL ORDER BY fb.key, rb.position`,
      [requirementId],
    );
  }

  /** Links between two frameworks (either given or both), oriented from `from` to `to`. */
  async findMappings(from: string | undefined, to: string | undefined, offset: number, limit: number): Promise<[MappingRow[], number]> {
    const sql = `${MAPPING_SELECT_ALL} WHERE ($1::text IS NULL OR "fromFramework" = $1) AND ($2::text IS NULL OR "toFramework" = $2)`;
    const [rows, count] = await Promise.all([
      this.dataSource.query(`${sql} ORDER BY "fromFramework", "fromPosition", "toFramework", "toPosition" OFFSET $3 LIMIT $4`, [
        from ?? null,
        to ?? null,
        offset,
        limit,
      ]),
      this.dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) t`, [from ?? null, to ?? null]),
    ]);
    return [rows, (count as { n: number }[])[0].n];
  }
}

/** Each link once per direction, so that a query "from X" finds links stored either way. */
const ORIENTED = `
  SELECT m.strength, m.rationale, m.from_requirement_id AS a, m.to_requirement_id AS b FROM requirement_mapping m
  UNION ALL
  SELECT m.strength, m.rationale, m.to_requirement_id, m.from_requirement_id FROM requirement_mapping m`;

const MAPPING_SELECT_ALL = `
  SELECT * FROM (
    SELECT fa.key AS "fromFramework", ra.ref AS "fromRef", ra.title AS "fromTitle", ra.position AS "fromPosition",
           fb.key AS "toFramework", rb.ref AS "toRef", rb.title AS "toTitle", rb.position AS "toPosition",
           o.strength, o.rationale
      FROM (${ORIENTED}) o
      JOIN requirement ra ON ra.id = o.a JOIN framework fa ON fa.id = ra.framework_id
      JOIN requirement rb ON rb.id = o.b JOIN framework fb ON fb.id = rb.framework_id
     WHERE ra.retired_at IS NULL AND rb.retired_at IS NULL) links`;

const MAPPING_SELECT = `
  SELECT fa.key AS "fromFramework", ra.ref AS "fromRef", ra.title AS "fromTitle",
         fb.key AS "toFramework", rb.ref AS "toRef", rb.title AS "toTitle", m.strength, m.rationale
    FROM requirement_mapping m
    JOIN requirement ra ON ra.id = CASE WHEN m.from_requirement_id = $1 THEN m.from_requirement_id ELSE m.to_requirement_id END
    JOIN requirement rb ON rb.id = CASE WHEN m.from_requirement_id = $1 THEN m.to_requirement_id ELSE m.from_requirement_id END
    JOIN framework fa ON fa.id = ra.framework_id
    JOIN framework fb ON fb.id = rb.framework_id`;
