/**
 * npm run evidence:verify   re-hash every stored evidence object; exit 1 on a missing or altered one
 * npm run evidence:sweep    remove stored objects that no evidence record references (older than an hour)
 * Uses the service's own configuration (DATABASE_URL or the embedded database, local disk or S3).
 */
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from 'src/app.module';
import { loadConfigOrExit } from 'src/config/app-config';
import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';

import { runCli } from './run-cli';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  if (command !== 'verify' && command !== 'sweep') {
    out('usage: evidence.js verify|sweep');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule.register(loadConfigOrExit()), { logger: ['error', 'warn'] });
  try {
    const integrity = app.get(EvidenceIntegrityService);
    if (command === 'verify') {
      const report = await integrity.verify();
      if (!report) {
        out('Another verification is running');
        return 1;
      }
      out(`Checked ${report.checked} stored objects: ${report.missing.length} missing, ${report.mismatched.length} altered`);
      for (const h of report.missing) out(`  missing  ${h}`);
      for (const h of report.mismatched) out(`  altered  ${h}`);
      return report.missing.length || report.mismatched.length ? 1 : 0;
    }
    const removed = await integrity.sweep();
    if (!removed) {
      out('Another sweep is running');
      return 1;
    }
    out(`Removed ${removed.length} unreferenced objects`);
    for (const h of removed) out(`  ${h}`);
    return 0;
  } finally {
    await app.close();
  }
}

runCli(main);
