import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Client } from 'pg';

/** What global-teardown must stop (globalSetup and globalTeardown share this process's globals). */
export const PGLITE_HANDLE = Symbol.for('crt.test.pglite');

/**
 * The database of one test run, against which every app under test applies the migrations on its first start:
 * - with TEST_DATABASE_ADMIN_URL (a PostgreSQL role that may create databases): a fresh PostgreSQL database named
 *   after the run, dropped by global-teardown (.ci/run does this);
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
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_DATABASE_KIND = 'postgresql';
}
