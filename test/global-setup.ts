import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Client } from 'pg';

/** What global-teardown must stop (globalSetup and globalTeardown share this process's globals). */
export const PGLITE_HANDLE = Symbol.for('crt.test.pglite');

/**
 * The database of one test run, against which every app under test applies the migrations on its first start:
 * - with TEST_DATABASE_ADMIN_URL (a PostgreSQL superuser): a fresh PostgreSQL database named after the run, owned by a
 *   per-run owner role that runs the migrations (DATABASE_OWNER_URL), while every app under test connects as a per-run
 *   service role (DATABASE_URL) with only INSERT/SELECT on audit_event, as in production; all dropped by
 *   global-teardown (.ci/run does this). Tests that play the attacker use TEST_DATABASE_ADMIN_URL on that database;
 * - otherwise: a fresh in-memory PGlite served on a loopback port, with one connection per app (DATABASE_POOL_SIZE=1).
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    const db = await PGlite.create();
    // Several apps may be open at once in a test; the server runs one transaction at a time across them.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    (globalThis as Record<symbol, unknown>)[PGLITE_HANDLE] = { db, server };
    process.env.DATABASE_URL = `postgres://postgres@${server.getServerConn()}/postgres`;
    process.env.DATABASE_POOL_SIZE = '1';
    process.env.TEST_DATABASE_KIND = 'pglite';
    return;
  }
  const name = `crt_test_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  // Roles are cluster-wide: named after the run, so parallel runs on one server never share them.
  await admin.query(`CREATE ROLE ${name}_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await admin.query(`CREATE ROLE ${name}_service LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await admin.query(`CREATE DATABASE ${name} OWNER ${name}_owner`);
  await admin.end();
  const urlAs = (user: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    url.username = user;
    url.password = '';
    return url.toString();
  };
  process.env.DATABASE_URL = urlAs(`${name}_service`);
  process.env.DATABASE_OWNER_URL = urlAs(`${name}_owner`);
  process.env.TEST_DATABASE_SUPERUSER_URL = urlAs(new URL(adminUrl).username || 'postgres');
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_DATABASE_KIND = 'postgresql';
}
