import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { EvidenceIndexEntryDto, ReportControlDto } from 'src/reports/reports.dto';
import { ACTIVE_CONTROLS, controlStateSql, CURRENT_EVIDENCE } from 'src/readiness/readiness.sql';

/**
 * Reading what the reports show, inside the report's transaction when given one (`tx`). Nothing here writes; the
 * audit event of a download goes through AuditService.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findClientName(clientId: string, tx?: EntityManager): Promise<string | null> {
    const [row] = await (tx ?? this.dataSource).query(`SELECT name FROM client WHERE id = $1`, [clientId]);
    return (row as { name: string } | undefined)?.name ?? null;
  }

  async findUser(userId: string, tx?: EntityManager): Promise<{ name: string; email: string } | null> {
    const [row] = await (tx ?? this.dataSource).query(`SELECT name, email FROM app_user WHERE id = $1`, [userId]);
    return (row as { name: string; email: string } | undefined) ?? null;
  }

  /**
   * Every control of the client's active enrollments in `frameworks`, in catalog order, with its readiness state
   * (the shared SPEC 3 expression) and the days it is overdue (same rule as readiness' `overdue`).
   */
  findControls(clientId: string, frameworks: string[], today: string, tx?: EntityManager): Promise<ReportControlDto[]> {
    return (tx ?? this.dataSource).query(
      `SELECT c.framework, c.ref, c.title, c.section, c.state, c.status, c.owner_name AS "ownerName", c.owner_email AS "ownerEmail",
              to_char(c.due_date, 'YYYY-MM-DD') AS "dueDate",
              CASE WHEN c.due_date < $3::date AND c.state NOT IN ('met', 'not_applicable') THEN $3::date - c.due_date END AS "daysOverdue",
              c.applicable, c.justification,
              (SELECT count(*)::int FROM evidence_link el JOIN evidence e ON e.id = el.evidence_id
                WHERE el.control_id = c.id AND ${CURRENT_EVIDENCE}) AS "evidenceCount"
         FROM (SELECT ctl.id, f.key AS framework, r.ref, r.title, r.section_ref AS section, r.position, ctl.status, ctl.applicable,
                      ctl.justification, ctl.due_date, u.name AS owner_name, u.email AS owner_email,
                      ${controlStateSql('ctl', '$3')} AS state
                 FROM ${ACTIVE_CONTROLS}
                 LEFT JOIN app_user u ON u.id = ctl.owner_user_id
                WHERE ctl.client_id = $1 AND f.key = ANY($2::text[])) c
        ORDER BY c.framework, c.position`,
      [clientId, frameworks, today],
    );
  }

  /**
   * Current (not withdrawn) evidence of the client linked to at least one control of the given frameworks' active
   * enrollments, with those links (framework, ref) in catalog order.
   */
  findEvidence(clientId: string, frameworks: string[], tx?: EntityManager): Promise<EvidenceIndexEntryDto[]> {
    return (tx ?? this.dataSource).query(
      `SELECT e.id, e.title, e.original_filename AS "fileName", e.media_type AS "mediaType", e.size::float8 AS size, e.sha256,
              coalesce(u.name, u.email) AS "uploadedBy", to_char(e.uploaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "uploadedAt",
              to_char(e.effective_date, 'YYYY-MM-DD') AS "effectiveDate", to_char(e.valid_until, 'YYYY-MM-DD') AS "validUntil",
              e.review_state AS "reviewState", l.controls
         FROM evidence e
         JOIN app_user u ON u.id = e.uploaded_by
         JOIN LATERAL (
           SELECT jsonb_agg(jsonb_build_object('framework', f.key, 'ref', r.ref, 'applicable', ctl.applicable) ORDER BY f.key, r.position) AS controls
             FROM ${ACTIVE_CONTROLS}
             JOIN evidence_link el ON el.control_id = ctl.id
            WHERE el.evidence_id = e.id AND f.key = ANY($2::text[])) l ON l.controls IS NOT NULL
        WHERE e.client_id = $1 AND ${CURRENT_EVIDENCE}
        ORDER BY lower(e.original_filename), e.uploaded_at, e.id`,
      [clientId, frameworks],
    );
  }
}
