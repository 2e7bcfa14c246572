/**
 * npm run audit:verify   check every audit chain; print each chain's head and first broken link; exit 1 on a break
 * Uses the service's own configuration (DATABASE_URL or the embedded database, and the same AUDIT_HMAC_KEY / DATA_DIR).
 */
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from 'src/app.module';
import { AuditVerifyService } from 'src/audit/audit-verify.service';
import { loadConfigOrExit } from 'src/config/app-config';

import { runCli } from './run-cli';

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  if (command !== 'verify') {
    out('usage: audit.js verify');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule.register(loadConfigOrExit()), { logger: ['error', 'warn'] });
  try {
    const report = await app.get(AuditVerifyService).verify();
    for (const c of report.chains) {
      const name = c.clientId ? `client ${c.clientName ?? '?'} (${c.clientId})` : 'instance';
      const head = c.head ? `head #${c.head.position} ${c.head.hash}` : 'no head';
      out(`${c.firstBreak ? 'BROKEN' : 'ok    '}  ${name}: ${c.checked} events, ${head}`);
      if (c.firstBreak) out(`        first break at position ${c.firstBreak.position ?? '-'} (event ${c.firstBreak.eventId}): ${c.firstBreak.reason}`);
    }
    out(`${report.chains.length} chains, ${report.unchained} events recorded before chaining (unchained)`);
    out(report.ok ? 'Every chain holds' : 'The audit trail has been altered');
    return report.ok ? 0 : 1;
  } finally {
    await app.close();
  }
}

runCli(main);
