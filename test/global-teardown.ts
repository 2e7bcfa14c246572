import { Client } from 'pg';

import { PGLITE_HANDLE } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const pglite = (globalThis as Record<symbol, { db: { close(): Promise<void> }; server: { stop(): Promise<void> } } | undefined>)[PGLITE_HANDLE];
  if (pglite) {
    await pglite.server.stop();
    await pglite.db.close();
    return;
  }
  const name = process.env.TEST_DATABASE_NAME;
  if (!name || process.env.KEEP_TEST_DATABASE) return;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${name}_service`);
  await admin.query(`DROP ROLE IF EXISTS ${name}_owner`);
  await admin.end();
}
