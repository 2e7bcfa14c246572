import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';

import { dataSourceOptions, EMBEDDED_POOL_SIZE, runMigrations } from 'src/database/data-source';
import { ensureGroupServiceRole, grantServiceRole, serviceRoleStatus, serviceRoleWarnings } from 'src/database/service-role';

export interface DatabaseUrls {
  /** The service's login (DATABASE_URL, or the embedded database's). */
  url: string;
  /** DATABASE_OWNER_URL: migrations and grants run as this role when set. */
  ownerUrl?: string;
  embedded: boolean;
}

/** The login role behind a URL, as the server names it. */
async function loginRoleOf(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT current_user AS name')).rows[0].name;
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations as the owner, then grants the service role its privileges (under the migration lock).
 * Returns the role the service's connections must switch to (only when one login both migrates and serves), or
 * null when they already log in as the service role, or when no restricted role could be set up.
 */
export async function migrateAndGrant(urls: DatabaseUrls): Promise<string | null> {
  const serviceLogin = urls.ownerUrl ? await loginRoleOf(urls.url) : undefined;
  // Two connections on a server: one holds the migration lock while the other migrates.
  const migrator = await new DataSource(
    dataSourceOptions(urls.ownerUrl ?? urls.url, { embedded: urls.embedded, poolSize: urls.embedded ? EMBEDDED_POOL_SIZE : 2 }),
  ).initialize();
  try {
    // PGlite has a single session, which an earlier service may have left switched to its role.
    if (!urls.ownerUrl) await migrator.query('RESET ROLE');
    let role: string | null = null;
    await runMigrations(migrator, {
      embedded: urls.embedded,
      after: async () => {
        if (serviceLogin) {
          await grantServiceRole(migrator, serviceLogin);
        } else {
          role = await ensureGroupServiceRole(migrator).catch((e: Error) => {
            new Logger('Database').warn(`Could not set up a restricted service role: ${e.message}`);
            return null;
          });
        }
      },
    });
    return role;
  } finally {
    await migrator.destroy();
  }
}

/**
 * The service's DataSource: migrates and grants first, then connects as the restricted service role, and warns
 * when that role could still rewrite the audit trail.
 */
export async function openServiceDataSource(urls: DatabaseUrls, options: (role?: string) => DataSourceOptions): Promise<DataSource> {
  const role = await migrateAndGrant(urls);
  const dataSource = await new DataSource(options(role ?? undefined)).initialize();
  // PGlite ignores start-up options; its one session keeps this for every later connection.
  if (role) await dataSource.query(`SET ROLE "${role}"`);
  const logger = new Logger('Database');
  const status = await serviceRoleStatus(dataSource);
  for (const w of serviceRoleWarnings(status, { embedded: urls.embedded })) logger.warn(w);
  return dataSource;
}
