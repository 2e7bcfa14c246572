import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { both } from 'src/database/long-work';
import { ACTIVE_CONTROLS, controlStateSql, COUNTS_SQL } from 'src/readiness/readiness.sql';

export interface ReadinessCounts {
  score: number | null;
  applicable: number;
  met: number;
  partial: number;
  gap: number;
  notApplicable: number;
  overdue: number;
  unowned: number;
  expiringEvidence: number;
}

export interface ReadinessRow extends ReadinessCounts {
  clientId: string;
  framework: string;
  sectionRef: string | null;
  sectionTitle: string | null;
  position: number;
}

/** Days ahead within which accepted evidence counts as expiring. */
export const EXPIRING_WITHIN_DAYS = 30;

@Injectable()
export class ReadinessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Readiness of the given clients per enrolled framework and, when `bySection`, per rollup section too
   * (rows with a null section are the framework totals). Two statements whatever the number of clients; `tx` runs
   * them in the caller's transaction (a report's snapshot).
   */
  async compute(clientIds: string[], today: string, bySection: boolean, tx?: EntityManager): Promise<ReadinessRow[]> {
    const db = tx ?? this.dataSource;
    const grouping = bySection ? `GROUPING SETS ((client_id, key), (client_id, key, sec_ref, sec_title))` : `client_id, key`;
    const sectionCols = bySection ? `sec_ref AS "sectionRef", sec_title AS "sectionTitle"` : `NULL AS "sectionRef", NULL AS "sectionTitle"`;
    const classified = `
      SELECT ctl.client_id, f.key, ctl.applicable, ctl.owner_user_id, ctl.due_date, r.position,
             ${controlStateSql('ctl', '$2')} AS state,
             r.section_path -> (LEAST(f.rollup_depth, jsonb_array_length(r.section_path)) - 1) ->> 'ref' AS sec_ref,
             r.section_path -> (LEAST(f.rollup_depth, jsonb_array_length(r.section_path)) - 1) ->> 'title' AS sec_title
        FROM ${ACTIVE_CONTROLS}
       WHERE ctl.client_id = ANY($1::uuid[])`;
    const expiring = `
      SELECT ctl.client_id, f.key, e.id AS evidence_id,
             r.section_path -> (LEAST(f.rollup_depth, jsonb_array_length(r.section_path)) - 1) ->> 'ref' AS sec_ref,
             r.section_path -> (LEAST(f.rollup_depth, jsonb_array_length(r.section_path)) - 1) ->> 'title' AS sec_title
        FROM ${ACTIVE_CONTROLS}
        JOIN evidence_link el ON el.control_id = ctl.id
        JOIN evidence e ON e.id = el.evidence_id
       WHERE ctl.client_id = ANY($1::uuid[]) AND ctl.applicable AND e.withdrawn_at IS NULL AND e.review_state = 'accepted'
         AND e.valid_until BETWEEN $2::date AND $2::date + ${EXPIRING_WITHIN_DAYS}`;
    // MATERIALIZED: each control's state is computed once, not once per count(*) FILTER column that reads it.
    const [rows, exp] = await both(
      tx,
      () =>
        db.query(
          `WITH s AS MATERIALIZED (${classified})
           SELECT client_id AS "clientId", key AS framework, ${sectionCols}, min(position)::int AS position, ${COUNTS_SQL}
             FROM s GROUP BY ${grouping}`,
          [clientIds, today],
        ) as Promise<ReadinessRow[]>,
      () =>
        db.query(
          `SELECT client_id AS "clientId", key AS framework, ${sectionCols}, count(DISTINCT evidence_id)::int AS n
             FROM (${expiring}) x GROUP BY ${grouping}`,
          [clientIds, today],
        ) as Promise<{ clientId: string; framework: string; sectionRef: string | null; n: number }[]>,
    );
    const key = (r: { clientId: string; framework: string; sectionRef: string | null }) => `${r.clientId}|${r.framework}|${r.sectionRef ?? ''}`;
    const expiringBy = new Map(exp.map((e) => [key(e), e.n]));
    return rows.map((r) => ({ ...r, expiringEvidence: expiringBy.get(key(r)) ?? 0 }));
  }

  /** Enrolled frameworks of a client (also those with no control yet), to report them even when empty. */
  findEnrolled(clientIds: string[], tx?: EntityManager): Promise<{ clientId: string; framework: string; name: string; version: string }[]> {
    return (tx ?? this.dataSource).query(
      `SELECT cf.client_id AS "clientId", f.key AS framework, f.name, f.version
         FROM client_framework cf JOIN framework f ON f.id = cf.framework_id
        WHERE cf.client_id = ANY($1::uuid[]) AND cf.unenrolled_at IS NULL ORDER BY f.key`,
      [clientIds],
    );
  }
}
