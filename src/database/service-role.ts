import { DataSource } from 'typeorm';

/**
 * The database role the service runs as. Migrations run as an owner; the service gets ordinary DML on every table
 * and only INSERT/SELECT on `audit_event`, so that neither our code nor anyone who takes over the service's
 * connection can rewrite history (UPDATE, DELETE, TRUNCATE, or ALTER TABLE ... DISABLE TRIGGER, which needs
 * ownership). The grants are applied after every migration run, to all tables of the schema, so that tables added
 * by later migrations are covered without their authors knowing; default privileges cover tables an owner creates
 * between two starts.
 */

type Queryable = Pick<DataSource, 'query'>;

/** SQL identifier quoting for role names that come from the database itself (current_user) or from us. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Tables whose history must stay as written: the service may only add to them and read them. */
const APPEND_ONLY_TABLES = ['audit_event'];

/**
 * Grants `role` what the service needs, after migrations, as the role that ran them (the owner of the tables).
 * Runs under the migration lock, so concurrent starts do not race.
 */
export async function grantServiceRole(q: Queryable, role: string): Promise<void> {
  const r = ident(role);
  await q.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`);
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`);
  for (const table of APPEND_ONLY_TABLES) {
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM ${r}`);
  }
  // The migration ledger is the owner's: a service that could edit it could make the next start re-run or skip DDL.
  await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM ${r}`);
}

/**
 * Only DATABASE_URL is set (or the embedded database): the login role both migrates and serves. We create a NOLOGIN
 * group role for this database, make the login role a member, grant it the service privileges, and the service's
 * connections SET ROLE to it. Returns its name, or null when the login role may not create roles (then the service
 * runs as the login role, and `serviceRoleWarnings` says so at start).
 *
 * Warning: this protects history from the service's own statements, not from someone who can run arbitrary SQL on
 * its connection, since the session user may RESET ROLE. DATABASE_OWNER_URL with a separate login role closes that.
 */
export async function ensureGroupServiceRole(q: Queryable): Promise<string | null> {
  // Role names are cluster-wide: one per database, so that two installations on one server never share privileges.
  const [{ name, canCreate }] = await q.query(
    `SELECT 'crt_service_' || left(md5(current_database()), 12) AS name,
            (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) AS "canCreate"`,
  );
  if (!canCreate) return null;
  const exists = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [name]);
  if (exists.length === 0) {
    try {
      await q.query(`CREATE ROLE ${ident(name)} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT`);
    } catch (e) {
      // Another instance (same database, another start) created it first.
      if ((e as { code?: string }).code !== '42710' && (e as { code?: string }).code !== '23505') throw e;
    }
  }
  await q.query(`GRANT ${ident(name)} TO CURRENT_USER`);
  await grantServiceRole(q, name);
  return name;
}

export interface ServiceRoleStatus {
  currentUser: string;
  sessionUser: string;
  superuser: boolean;
  sessionSuperuser: boolean;
  canRewriteAudit: boolean;
}

/** What the service's connection may do to the audit trail (read at start, logged when it is too much). */
export async function serviceRoleStatus(q: Queryable): Promise<ServiceRoleStatus> {
  const [row] = await q.query(
    `SELECT current_user AS "currentUser", session_user AS "sessionUser",
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS "sessionSuperuser",
            (has_table_privilege('audit_event', 'UPDATE') OR has_table_privilege('audit_event', 'DELETE')
              OR has_table_privilege('audit_event', 'TRUNCATE') OR has_table_privilege('audit_event', 'TRIGGER')
              OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_event'::regclass), 'USAGE')) AS "canRewriteAudit"`,
  );
  return row as ServiceRoleStatus;
}

/** Human warnings for a status; empty when the service cannot rewrite history. */
export function serviceRoleWarnings(s: ServiceRoleStatus, opts: { embedded: boolean }): string[] {
  const out: string[] = [];
  if (s.superuser || s.canRewriteAudit) {
    out.push(
      `The service's database role "${s.currentUser}" can ${s.superuser ? 'do anything (superuser), including rewriting' : 'rewrite'} the audit trail. ` +
        'Set DATABASE_OWNER_URL (migrations) and a DATABASE_URL role with only INSERT/SELECT on audit_event (see README).',
    );
  } else if (s.sessionSuperuser && s.sessionUser !== s.currentUser && !opts.embedded) {
    out.push(
      `The service runs as role "${s.currentUser}", but its login role "${s.sessionUser}" is a superuser that could switch back. ` +
        'Set DATABASE_OWNER_URL and a restricted DATABASE_URL login (see README).',
    );
  }
  return out;
}
