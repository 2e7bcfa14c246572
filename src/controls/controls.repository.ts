import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { containsPattern } from 'src/common/errors';
import { ControlFilterDto, ControlsQueryDto, ControlStatus, ReadinessState } from 'src/controls/controls.dto';
import { ACTIVE_CONTROLS, controlStateSql } from 'src/readiness/readiness.sql';

export interface ControlRow {
  id: string;
  framework: string;
  ref: string;
  title: string;
  section: string;
  status: ControlStatus;
  state: ReadinessState;
  applicable: boolean;
  justification: string | null;
  ownerId: string | null;
  ownerName: string | null;
  dueDate: string | null;
  overdue: boolean;
  evidenceCount: number;
  updatedAt: Date;
}

export interface ControlDetailRow extends ControlRow {
  requirementId: string;
  description: string;
  evidenceGuidance: string[];
  attributes: Record<string, unknown>;
  notes: string | null;
}

/** The mutable fields of a control, as stored. */
export interface ControlState {
  id: string;
  status: ControlStatus;
  ownerId: string | null;
  dueDate: string | null;
  notes: string | null;
  applicable: boolean;
  justification: string | null;
}

const SORTS: Record<NonNullable<ControlsQueryDto['sort']>, string> = {
  ref: 'c.framework_key, c.position',
  dueDate: 'c.due_date',
  status: "array_position(ARRAY['not_started','in_progress','implemented'], c.status)",
  state: "array_position(ARRAY['gap','partial','met','not_applicable'], c.state)",
  owner: 'c.owner_name',
  updatedAt: 'c.updated_at',
};

/**
 * Controls of one client with their readiness state, filtered. `$1` is the client, `$2` today; further parameters
 * are appended to `params`.
 */
function filteredControls(f: ControlFilterDto, params: unknown[]): string {
  const inner = ['ctl.client_id = $1'];
  const outer: string[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.framework) inner.push(`f.key = ${add(f.framework)}`);
  if (f.status) inner.push(`ctl.status = ${add(f.status)}`);
  if (f.ownerId) inner.push(`ctl.owner_user_id = ${add(f.ownerId)}`);
  if (f.unowned !== undefined) inner.push(f.unowned ? 'ctl.owner_user_id IS NULL' : 'ctl.owner_user_id IS NOT NULL');
  if (f.applicable !== undefined) inner.push(`ctl.applicable = ${add(f.applicable)}`);
  if (f.section) {
    const s = add(f.section);
    inner.push(`(r.section_ref = ${s} OR r.section_path @> jsonb_build_array(jsonb_build_object('ref', ${s}::text)))`);
  }
  if (f.search?.trim()) {
    const q = add(f.search.trim());
    const like = add(containsPattern(f.search.trim()));
    inner.push(`(r.search @@ websearch_to_tsquery('english', ${q}) OR r.ref ILIKE ${q} || '%' OR ${q} = ANY(r.aliases) OR ctl.notes ILIKE ${like})`);
  }
  if (f.state) outer.push(`c.state = ${add(f.state)}`);
  if (f.overdue !== undefined) outer.push(f.overdue ? 'c.overdue' : 'NOT c.overdue');
  return `
    SELECT * FROM (
      SELECT s.*, (s.due_date IS NOT NULL AND s.due_date < $2::date AND s.state NOT IN ('met', 'not_applicable')) AS overdue FROM (
        SELECT ctl.id, ctl.requirement_id, f.key AS framework_key, r.ref, r.title, r.section_ref, r.position, ctl.status,
               ctl.applicable, ctl.justification, ctl.owner_user_id, u.name AS owner_name, ctl.due_date, ctl.notes, ctl.updated_at,
               ${controlStateSql('ctl', '$2')} AS state
          FROM ${ACTIVE_CONTROLS}
          LEFT JOIN app_user u ON u.id = ctl.owner_user_id
         WHERE ${inner.join(' AND ')}) s) c
    ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}`;
}

const ROW_COLUMNS = `c.id, c.framework_key AS framework, c.ref, c.title, c.section_ref AS section, c.status, c.state, c.applicable,
  c.justification, c.owner_user_id AS "ownerId", c.owner_name AS "ownerName", to_char(c.due_date, 'YYYY-MM-DD') AS "dueDate",
  c.overdue, c.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM evidence_link el JOIN evidence e ON e.id = el.evidence_id
    WHERE el.control_id = c.id AND e.withdrawn_at IS NULL) AS "evidenceCount"`;

@Injectable()
export class ControlsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Opens an enrollment; false when the client is already enrolled in the framework. */
  async insertEnrollment(tx: EntityManager, clientId: string, frameworkId: string, userId: string): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO client_framework (client_id, framework_id, enrolled_by) VALUES ($1, $2, $3)
       ON CONFLICT (client_id, framework_id) WHERE unenrolled_at IS NULL DO NOTHING RETURNING id`,
      [clientId, frameworkId, userId],
    );
    return rows.length > 0;
  }

  /**
   * One control per current requirement of the framework, in one statement. Controls kept from an earlier
   * enrollment stay as they were (status, owner, history); only missing ones are created. Returns how many exist.
   */
  async createControls(tx: EntityManager, clientId: string, frameworkId: string): Promise<{ created: number; total: number }> {
    const created = await tx.query(
      `INSERT INTO control (client_id, framework_id, requirement_id)
       SELECT $1, r.framework_id, r.id FROM requirement r WHERE r.framework_id = $2 AND r.retired_at IS NULL
       ON CONFLICT (client_id, requirement_id) DO NOTHING RETURNING id`,
      [clientId, frameworkId],
    );
    const [{ n }] = await tx.query(
      `SELECT count(*)::int AS n FROM control ctl JOIN requirement r ON r.id = ctl.requirement_id
        WHERE ctl.client_id = $1 AND ctl.framework_id = $2 AND r.retired_at IS NULL`,
      [clientId, frameworkId],
    );
    return { created: created.length, total: n };
  }

  /** Closes the active enrollment (its controls stay, with their history); false when there was none. */
  async closeEnrollment(tx: EntityManager, clientId: string, frameworkId: string, userId: string): Promise<boolean> {
    const [, affected] = (await tx.query(
      `UPDATE client_framework SET unenrolled_at = now(), unenrolled_by = $3
        WHERE client_id = $1 AND framework_id = $2 AND unenrolled_at IS NULL`,
      [clientId, frameworkId, userId],
    )) as [unknown, number];
    return affected > 0;
  }

  findEnrollments(clientId: string): Promise<{ framework: string; name: string; version: string; enrolledAt: Date; controlCount: number }[]> {
    return this.dataSource.query(
      `SELECT f.key AS framework, f.name, f.version, cf.enrolled_at AS "enrolledAt",
              (SELECT count(*)::int FROM control ctl JOIN requirement r ON r.id = ctl.requirement_id
                WHERE ctl.client_id = cf.client_id AND ctl.framework_id = f.id AND r.retired_at IS NULL) AS "controlCount"
         FROM client_framework cf JOIN framework f ON f.id = cf.framework_id
        WHERE cf.client_id = $1 AND cf.unenrolled_at IS NULL ORDER BY f.key`,
      [clientId],
    );
  }

  /** One page of a client's controls and the total count, in one statement. */
  async findPage(clientId: string, q: ControlsQueryDto, today: string, offset: number, limit: number): Promise<[ControlRow[], number]> {
    const params: unknown[] = [clientId, today];
    const base = filteredControls(q, params);
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const order = `${SORTS[q.sort ?? 'ref']} ${dir} NULLS LAST, c.framework_key, c.position`;
    const rows: (ControlRow & { total: number })[] = await this.dataSource.query(
      `SELECT ${ROW_COLUMNS}, count(*) OVER ()::int AS total FROM (${base}) c ORDER BY ${order}
       OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, offset, limit],
    );
    if (rows.length === 0 && offset > 0) {
      const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM (${base}) c`, params);
      return [[], n];
    }
    return [rows.map(({ total: _t, ...r }) => r), rows[0]?.total ?? 0];
  }

  /** Ids of the client's controls matching a filter (for bulk changes). */
  async findIdsByFilter(clientId: string, f: ControlFilterDto, today: string): Promise<string[]> {
    const params: unknown[] = [clientId, today];
    const rows: { id: string }[] = await this.dataSource.query(`SELECT c.id FROM (${filteredControls(f, params)}) c`, params);
    return rows.map((r) => r.id);
  }

  async findDetail(clientId: string, controlId: string, today: string): Promise<ControlDetailRow | null> {
    const params: unknown[] = [clientId, today];
    const base = filteredControls({}, params);
    params.push(controlId);
    const rows = await this.dataSource.query(
      `SELECT ${ROW_COLUMNS}, c.requirement_id AS "requirementId", c.notes, r.description, r.evidence_guidance AS "evidenceGuidance", r.attributes
         FROM (${base}) c JOIN requirement r ON r.id = c.requirement_id WHERE c.id = $${params.length}`,
      params,
    );
    return rows[0] ?? null;
  }

  /** Requirements mapped to this one, with the client's control and its state where the client is enrolled. */
  findMapped(clientId: string, requirementId: string, today: string) {
    return this.dataSource.query(
      `WITH links AS (
         SELECT m.to_requirement_id AS other, m.strength, m.rationale FROM requirement_mapping m WHERE m.from_requirement_id = $2
         UNION ALL
         SELECT m.from_requirement_id, m.strength, m.rationale FROM requirement_mapping m WHERE m.to_requirement_id = $2)
       SELECT f.key AS framework, r.ref, r.title, l.strength, l.rationale, ctl.id AS "controlId",
              CASE WHEN ctl.id IS NULL THEN NULL ELSE ${controlStateSql('ctl', '$3')} END AS state
         FROM links l
         JOIN requirement r ON r.id = l.other AND r.retired_at IS NULL
         JOIN framework f ON f.id = r.framework_id
         LEFT JOIN client_framework cf ON cf.client_id = $1 AND cf.framework_id = f.id AND cf.unenrolled_at IS NULL
         LEFT JOIN control ctl ON ctl.client_id = $1 AND ctl.requirement_id = r.id AND cf.id IS NOT NULL
        ORDER BY f.key, r.position`,
      [clientId, requirementId, today],
    ) as Promise<{ framework: string; ref: string; title: string; strength: string; rationale: string; controlId: string | null; state: ReadinessState | null }[]>;
  }

  /** Evidence linked to a control, newest first (withdrawn included, flagged). */
  findLinkedEvidence(controlId: string) {
    return this.dataSource.query(
      `SELECT e.id, e.title, e.original_filename AS "originalFilename", e.media_type AS "mediaType", e.size::float8 AS size, e.sha256,
              e.review_state AS "reviewState", to_char(e.effective_date, 'YYYY-MM-DD') AS "effectiveDate",
              to_char(e.valid_until, 'YYYY-MM-DD') AS "validUntil", e.uploaded_at AS "uploadedAt", e.withdrawn_at IS NOT NULL AS withdrawn
         FROM evidence_link el JOIN evidence e ON e.id = el.evidence_id
        WHERE el.control_id = $1 ORDER BY e.uploaded_at DESC`,
      [controlId],
    ) as Promise<Record<string, unknown>[]>;
  }

  /** Locks and returns the mutable state of the given controls of one client (of active enrollments). */
  findStatesForUpdate(tx: EntityManager, clientId: string, ids: string[]): Promise<ControlState[]> {
    return tx.query(
      `SELECT ctl.id, ctl.status, ctl.owner_user_id AS "ownerId", to_char(ctl.due_date, 'YYYY-MM-DD') AS "dueDate", ctl.notes,
              ctl.applicable, ctl.justification
         FROM ${ACTIVE_CONTROLS}
        WHERE ctl.client_id = $1 AND ctl.id = ANY($2::uuid[])
        ORDER BY ctl.id
        FOR UPDATE OF ctl`,
      [clientId, ids],
    );
  }

  /** Writes new states for many controls in one statement. */
  async updateStates(tx: EntityManager, states: ControlState[]): Promise<void> {
    if (states.length === 0) return;
    await tx.query(
      `UPDATE control ctl SET status = x.status, owner_user_id = x.owner_id, due_date = x.due_date, notes = x.notes,
              applicable = x.applicable, justification = x.justification, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text, owner_id uuid, due_date date, notes text, applicable boolean, justification text)
        WHERE ctl.id = x.id`,
      [
        JSON.stringify(
          states.map((s) => ({ id: s.id, status: s.status, owner_id: s.ownerId, due_date: s.dueDate, notes: s.notes, applicable: s.applicable, justification: s.justification })),
        ),
      ],
    );
  }
}
