import { ClientBase } from 'pg';

export interface SeedOptions {
  clients: number;
  evidence: number;
  /** One argon2 hash shared by every seeded user (hashing 3,000 passwords would dominate the seed time). */
  passwordHash: string;
}

export interface SeedSummary {
  users: number;
  clients: number;
  enrollments: number;
  controls: number;
  evidence: number;
  evidenceLinks: number;
  seconds: number;
}

/**
 * The SPEC 8 data set, seeded set-based (INSERT ... SELECT over generate_series), one statement per table.
 * Each client gets a consultant (a consultant serves three clients), four members and an auditor, and is enrolled in
 * every framework the catalogs loaded. Controls get a spread of statuses, owners (a share unowned), due dates (a share
 * past), notes, and 5 % scoped out with a justification. Evidence rows (no bytes) are spread evenly over clients and
 * linked to one to three of the client's applicable controls, mostly implemented ones, with mixed review states and
 * validity (open-ended, expired, expiring within 30 days, valid for months), a few withdrawn.
 * `setseed` makes the spread the same on every run.
 */
export async function seedDataset(db: ClientBase, o: SeedOptions): Promise<SeedSummary> {
  const started = Date.now();
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  await q('BEGIN');
  await q(`SELECT setseed(0.4242)`);

  await q(`CREATE TEMP TABLE b_client ON COMMIT DROP AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, $1::int) g`, [o.clients]);
  await q(`CREATE TEMP TABLE b_consultant ON COMMIT DROP AS SELECT g AS n, gen_random_uuid() AS id FROM generate_series(1, ceil($1::int / 3.0)::int) g`, [o.clients]);
  await q(`CREATE TEMP TABLE b_member ON COMMIT DROP AS SELECT c.n AS client_n, k, gen_random_uuid() AS id FROM b_client c, generate_series(1, 4) k`);
  await q(`CREATE TEMP TABLE b_auditor ON COMMIT DROP AS SELECT c.n AS client_n, gen_random_uuid() AS id FROM b_client c`);
  // Who may own a control of client n: slot 0 is its consultant, slots 1-4 its members.
  await q(`
    CREATE TEMP TABLE b_owner ON COMMIT DROP AS
      SELECT c.n AS client_n, 0 AS slot, k.id FROM b_client c JOIN b_consultant k ON k.n = (c.n - 1) / 3 + 1
      UNION ALL SELECT client_n, k, id FROM b_member`);
  await q(`CREATE INDEX ON b_owner (client_n, slot)`);

  await q(
    `INSERT INTO app_user (id, email, name, password_hash)
       SELECT id, format('consultant-%s@bench.local', n), format('Consultant %s', n), $1 FROM b_consultant
       UNION ALL SELECT id, format('member-%s-%s@bench.local', client_n, k), format('Member %s.%s', client_n, k), $1 FROM b_member
       UNION ALL SELECT id, format('auditor-%s@bench.local', client_n), format('Auditor %s', client_n), $1 FROM b_auditor`,
    [o.passwordHash],
  );
  await q(`INSERT INTO client (id, name, description) SELECT id, format('Bench client %s', lpad(n::text, 4, '0')), 'Seeded by npm run bench' FROM b_client`);
  await q(`
    INSERT INTO client_member (client_id, user_id, role)
      SELECT c.id, o.id, CASE WHEN o.slot = 0 THEN 'consultant' ELSE 'member' END FROM b_client c JOIN b_owner o ON o.client_n = c.n
      UNION ALL SELECT c.id, a.id, 'auditor' FROM b_client c JOIN b_auditor a ON a.client_n = c.n`);
  await q(`
    INSERT INTO client_framework (client_id, framework_id, enrolled_by, enrolled_at)
      SELECT c.id, f.id, o.id, now() - interval '200 days' FROM b_client c JOIN b_owner o ON o.client_n = c.n AND o.slot = 0 CROSS JOIN framework f`);

  // Status 35 % not started, 27 % in progress, 38 % implemented; 15 % unowned; 75 % with a due date between
  // 60 days ago and 180 days ahead; 20 % with notes; 5 % not applicable.
  await q(`
    WITH x AS MATERIALIZED (
      SELECT c.id AS client_id, c.n, r.framework_id, r.id AS requirement_id,
             random() AS r_status, random() AS r_owner, random() AS r_due, random() AS r_day, random() AS r_notes, random() AS r_na
        FROM b_client c CROSS JOIN requirement r WHERE r.retired_at IS NULL)
    INSERT INTO control (client_id, framework_id, requirement_id, status, owner_user_id, due_date, notes, applicable, justification, created_at, updated_at)
    SELECT x.client_id, x.framework_id, x.requirement_id,
           CASE WHEN x.r_status < 0.35 THEN 'not_started' WHEN x.r_status < 0.62 THEN 'in_progress' ELSE 'implemented' END,
           o.id,
           CASE WHEN x.r_due < 0.75 THEN current_date + (floor(x.r_day * 240)::int - 60) END,
           CASE WHEN x.r_notes < 0.2 THEN 'Discussed in the weekly compliance call; follow-up with the platform team.' END,
           x.r_na >= 0.05,
           CASE WHEN x.r_na < 0.05 THEN 'Out of scope: the service runs no infrastructure of its own for this (hosted by the cloud provider).' END,
           now() - interval '200 days', now() - x.r_day * interval '90 days'
      FROM x LEFT JOIN b_owner o ON o.client_n = x.n AND x.r_owner >= 0.15 AND o.slot = floor(x.r_owner * 1000)::int % 5`);

  // Applicable controls numbered per client and per "implemented or not", so evidence can pick one in O(1).
  await q(`
    CREATE TEMP TABLE b_ctl ON COMMIT DROP AS
      SELECT ctl.id, c.n AS client_n, ctl.status = 'implemented' AS impl,
             row_number() OVER (PARTITION BY c.n, ctl.status = 'implemented' ORDER BY ctl.id)::int AS k
        FROM control ctl JOIN b_client c ON c.id = ctl.client_id WHERE ctl.applicable`);
  await q(`CREATE INDEX ON b_ctl (client_n, impl, k)`);
  await q(`CREATE TEMP TABLE b_size ON COMMIT DROP AS SELECT client_n, impl, max(k) AS size FROM b_ctl GROUP BY 1, 2`);

  // Review: 60 % accepted, 25 % pending, 15 % rejected. Validity: 40 % open-ended, 10 % expired, 10 % expiring
  // within 30 days, 40 % valid 31-400 days. 2 % withdrawn.
  await q(
    `CREATE TEMP TABLE b_ev ON COMMIT DROP AS
       SELECT g, gen_random_uuid() AS id, (g % $1::int) + 1 AS client_n,
              random() AS r_age, random() AS r_valid, random() AS r_review, random() AS r_kind, random() AS r_withdraw, random() AS r_links
         FROM generate_series(1, $2::int) g`,
    [o.clients, o.evidence],
  );
  await q(`
    INSERT INTO evidence (id, client_id, title, description, original_filename, media_type, size, sha256, uploaded_by, uploaded_at,
                          effective_date, valid_until, review_state, reviewed_by, reviewed_at, review_comment, withdrawn_at, withdrawn_by, withdraw_reason)
    SELECT e.id, c.id,
           (ARRAY['Access review', 'Vulnerability scan report', 'Security awareness training records', 'Backup restore test', 'Vendor risk assessment'])[1 + floor(e.r_kind * 5)::int] || ' #' || e.g,
           CASE WHEN e.r_kind < 0.3 THEN 'Exported from the ticketing system.' END,
           format('evidence-%s.%s', e.g, (ARRAY['pdf', 'png', 'csv', 'xlsx', 'pdf'])[1 + floor(e.r_kind * 5)::int]),
           (ARRAY['application/pdf', 'image/png', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf'])[1 + floor(e.r_kind * 5)::int],
           10240 + floor(e.r_age * 20971520)::bigint,
           encode(sha256(convert_to('bench-evidence-' || e.g, 'UTF8')), 'hex'),
           m.id, now() - e.r_age * interval '365 days',
           (now() - e.r_age * interval '365 days')::date - floor(e.r_kind * 20)::int,
           CASE WHEN e.r_valid < 0.4 THEN NULL
                WHEN e.r_valid < 0.5 THEN current_date - 1 - floor(e.r_age * 180)::int
                WHEN e.r_valid < 0.6 THEN current_date + floor(e.r_age * 31)::int
                ELSE current_date + 31 + floor(e.r_age * 370)::int END,
           CASE WHEN e.r_review < 0.6 THEN 'accepted' WHEN e.r_review < 0.85 THEN 'pending' ELSE 'rejected' END,
           CASE WHEN e.r_review < 0.6 OR e.r_review >= 0.85 THEN k.id END,
           CASE WHEN e.r_review < 0.6 OR e.r_review >= 0.85 THEN now() - e.r_age * interval '300 days' END,
           CASE WHEN e.r_review >= 0.85 THEN 'Does not cover the whole period; please upload the full export.' END,
           CASE WHEN e.r_withdraw < 0.02 THEN now() - interval '1 day' END,
           CASE WHEN e.r_withdraw < 0.02 THEN m.id END,
           CASE WHEN e.r_withdraw < 0.02 THEN 'Uploaded by mistake' END
      FROM b_ev e
      JOIN b_client c ON c.n = e.client_n
      JOIN b_owner m ON m.client_n = e.client_n AND m.slot = 1 + e.g % 4
      JOIN b_owner k ON k.client_n = e.client_n AND k.slot = 0`);
  // One to three links each; 70 % of links go to an implemented control.
  await q(`
    WITH pick AS MATERIALIZED (
      SELECT e.id AS evidence_id, e.client_n, random() < 0.7 AS impl, random() AS r
        FROM b_ev e CROSS JOIN LATERAL generate_series(1, 1 + floor(e.r_links * 3)::int) j)
    INSERT INTO evidence_link (evidence_id, control_id, linked_at)
    SELECT p.evidence_id, t.id, now() - interval '10 days'
      FROM pick p
      JOIN b_size s ON s.client_n = p.client_n AND s.impl = p.impl
      JOIN b_ctl t ON t.client_n = p.client_n AND t.impl = p.impl AND t.k = 1 + floor(p.r * s.size)::int
    ON CONFLICT DO NOTHING`);
  await q('COMMIT');
  // Fresh statistics and visibility maps, as autovacuum would leave them on a settled database.
  await q('VACUUM ANALYZE');

  const [counts] = (
    await q(`SELECT (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM client)::int AS clients,
                    (SELECT count(*) FROM client_framework)::int AS enrollments, (SELECT count(*) FROM control)::int AS controls,
                    (SELECT count(*) FROM evidence)::int AS evidence, (SELECT count(*) FROM evidence_link)::int AS "evidenceLinks"`)
  ).rows as Omit<SeedSummary, 'seconds'>[];
  return { ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
