/**
 * npm run demo
 * Adds the sample client "Northwind Health (demo)" to the database the service uses (same environment variables:
 * DATABASE_URL, or the embedded database under DATA_DIR). Boots the application context, so migrations and catalogs
 * load as on a start, then creates everything through the services (src/demo/demo-seed.ts). Running it again
 * changes nothing. With the embedded database, stop the service first: PGlite serves one process at a time.
 */
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from 'src/app.module';
import { createLogger, PinoNestLogger } from 'src/common/logger';
import { loadConfigOrExit } from 'src/config/app-config';
import { seedDemo } from 'src/demo/demo-seed';

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  // Only warnings and errors: the demo's own summary is the output.
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: new PinoNestLogger(logger), abortOnError: false });
  try {
    const result = await seedDemo(app);
    const where = config.databaseUrl ? 'the DATABASE_URL database' : `the embedded database under ${config.dataDir}`;
    if (!result.created) {
      out(`The demo client "${result.name}" already exists in ${where} (id ${result.clientId}); nothing changed.`);
      return 0;
    }
    out(`Created the demo client "${result.name}" in ${where} (id ${result.clientId}).`);
    out();
    out('People:');
    for (const p of result.people) {
      out(`  ${p.role.padEnd(10)} ${p.name} <${p.email}>${p.temporaryPassword ? `  temporary password: ${p.temporaryPassword}` : ''}`);
    }
    out();
    out(`Controls: ${result.controlsChanged} given an owner, a due date, a status or scoped out (with a justification).`);
    out('Readiness:');
    for (const f of result.readiness.frameworks) {
      out(`  ${f.name}: ${f.score ?? '-'} %`);
      out(`    met ${f.met}, partial ${f.partial}, gap ${f.gap}, not applicable ${f.notApplicable}; overdue ${f.overdue}, unowned ${f.unowned}, evidence expiring within 30 days ${f.expiringEvidence}`);
    }
    out('Evidence:');
    for (const e of result.evidence) out(`  ${e.reviewState.padEnd(8)} ${e.title}${e.validUntil ? ` (valid until ${e.validUntil})` : ''}`);
    out();
    out('Sign in:');
    out(`  start the service (npm start) and open http://localhost:${config.port}/login, or POST /api/v1/auth/login {email, password}`);
    out(`  as ${result.people[0].email} (consultant): the admin password (ADMIN_PASSWORD, or the one printed at the first start)`);
    const invited = result.people.filter((p) => p.temporaryPassword);
    if (invited.length) out(`  as ${invited.map((p) => p.email).join(' or ')} (member): the temporary password above`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
