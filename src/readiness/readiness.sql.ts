/**
 * The readiness rule of SPEC 3, as SQL. Every query that reports a control's state (control list, control page,
 * readiness, reports) uses this one expression, so the API, the UI and the PDF cannot disagree.
 *
 * `ctl` is the alias of the control row; `today` a SQL expression for the current date (a bound parameter).
 * `met_evidence_until` is the last day the control's accepted, unwithdrawn evidence is valid, kept exact by
 * database triggers on evidence and evidence_link (migration StoreControlEvidenceHorizon).
 */
export const controlStateSql = (ctl: string, today: string) => `CASE
    WHEN NOT ${ctl}.applicable THEN 'not_applicable'
    WHEN ${ctl}.status = 'not_started' THEN 'gap'
    WHEN ${ctl}.status = 'implemented' AND ${ctl}.met_evidence_until >= ${today}::date THEN 'met'
    ELSE 'partial'
  END`;

/** Evidence that still counts: not withdrawn. */
export const CURRENT_EVIDENCE = `e.withdrawn_at IS NULL`;

/** Controls of a client's active enrollments whose requirement is not retired. */
export const ACTIVE_CONTROLS = `
  control ctl
  JOIN client_framework cf ON cf.client_id = ctl.client_id AND cf.framework_id = ctl.framework_id AND cf.unenrolled_at IS NULL
  JOIN requirement r ON r.id = ctl.requirement_id AND r.retired_at IS NULL
  JOIN framework f ON f.id = ctl.framework_id`;

/** Score = (met + 0.5 x partial) / applicable x 100, one decimal; null when nothing is applicable. */
export const SCORE_SQL = `round((count(*) FILTER (WHERE state = 'met') + 0.5 * count(*) FILTER (WHERE state = 'partial'))
    * 100.0 / NULLIF(count(*) FILTER (WHERE state <> 'not_applicable'), 0), 1)::float8`;

export const COUNTS_SQL = `
  count(*) FILTER (WHERE state <> 'not_applicable')::int AS applicable,
  count(*) FILTER (WHERE state = 'met')::int AS met,
  count(*) FILTER (WHERE state = 'partial')::int AS partial,
  count(*) FILTER (WHERE state = 'gap')::int AS gap,
  count(*) FILTER (WHERE state = 'not_applicable')::int AS "notApplicable",
  count(*) FILTER (WHERE state NOT IN ('not_applicable', 'met') AND due_date < $2::date)::int AS overdue,
  count(*) FILTER (WHERE state <> 'not_applicable' AND owner_user_id IS NULL)::int AS unowned,
  ${SCORE_SQL} AS score`;
