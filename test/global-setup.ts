import { Client } from 'pg';

/**
 * One fresh PostgreSQL database per test run, named after the run, dropped by global-teardown. The app under test
 * applies the migrations itself on its first start. TEST_DATABASE_ADMIN_URL points at a server where we may create
 * databases (default: the local server).
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `crt_test_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
}
