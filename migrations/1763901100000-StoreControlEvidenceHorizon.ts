import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Readiness asks, for every control, "is there accepted, unwithdrawn evidence valid today?" (SPEC 3). Answering it
 * with a subquery per control made the all-clients dashboard cost ~400 ms on the SPEC 8 data set. This stores the
 * answer's only time-dependent part on the control: the last day its accepted evidence is valid
 * (`met_evidence_until`; 'infinity' when one has no end date, NULL when there is none), so "met" becomes a
 * comparison with today. Statement-level triggers keep it exact whatever writes evidence or links (the API, a
 * script, or SQL), in the writer's own transaction.
 */
export class StoreControlEvidenceHorizon1763901100000 implements MigrationInterface {
  name = 'StoreControlEvidenceHorizon1763901100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE control ADD COLUMN met_evidence_until date`);
    await q.query(`
      CREATE FUNCTION control_refresh_met_evidence_until(ids uuid[]) RETURNS void LANGUAGE sql AS $$
        -- Set-based (joins and one aggregate, no correlated subquery), so a bulk insert of links stays linear.
        UPDATE control c SET met_evidence_until = h.until
          FROM (
            SELECT i.id, max(coalesce(e.valid_until, 'infinity'::date))
                           FILTER (WHERE e.review_state = 'accepted' AND e.withdrawn_at IS NULL) AS until
              FROM unnest(ids) AS i(id)
              LEFT JOIN evidence_link el ON el.control_id = i.id
              LEFT JOIN evidence e ON e.id = el.evidence_id
             GROUP BY i.id) h
         WHERE c.id = h.id AND c.met_evidence_until IS DISTINCT FROM h.until
      $$`);
    await q.query(`
      CREATE FUNCTION evidence_link_refresh_controls() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM control_refresh_met_evidence_until(ARRAY(SELECT DISTINCT control_id FROM new_links));
        ELSE
          PERFORM control_refresh_met_evidence_until(ARRAY(SELECT DISTINCT control_id FROM old_links));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_evidence_link__insert AFTER INSERT ON evidence_link
      REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION evidence_link_refresh_controls()`);
    await q.query(`
      CREATE TRIGGER trg_evidence_link__delete AFTER DELETE ON evidence_link
      REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION evidence_link_refresh_controls()`);
    await q.query(`
      CREATE FUNCTION evidence_refresh_controls() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM control_refresh_met_evidence_until(ARRAY(
          SELECT DISTINCT el.control_id FROM evidence_link el
            JOIN new_rows n ON n.id = el.evidence_id JOIN old_rows o ON o.id = n.id
           WHERE (n.review_state, n.withdrawn_at, n.valid_until) IS DISTINCT FROM (o.review_state, o.withdrawn_at, o.valid_until)));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_evidence__update AFTER UPDATE ON evidence
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION evidence_refresh_controls()`);
    await q.query(`SELECT control_refresh_met_evidence_until(ARRAY(SELECT DISTINCT control_id FROM evidence_link))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_evidence__update ON evidence`);
    await q.query(`DROP FUNCTION evidence_refresh_controls()`);
    await q.query(`DROP TRIGGER trg_evidence_link__delete ON evidence_link`);
    await q.query(`DROP TRIGGER trg_evidence_link__insert ON evidence_link`);
    await q.query(`DROP FUNCTION evidence_link_refresh_controls()`);
    await q.query(`DROP FUNCTION control_refresh_met_evidence_until(uuid[])`);
    await q.query(`ALTER TABLE control DROP COLUMN met_evidence_until`);
  }
}
