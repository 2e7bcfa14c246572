/**
 * npm run user:reset-password -- EMAIL
 * Recovery without mail: gives the user behind EMAIL a new one-time password and prints it. The user must choose a
 * new password at the next sign-in. Audited (`user.password_reset`, no actor); the password is never stored in clear.
 * Uses the service's own configuration (DATABASE_URL, or the embedded database under DATA_DIR). With the embedded
 * database, stop the service first: PGlite serves one process at a time.
 */
import 'reflect-metadata';

import { Module, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { createLogger, PinoNestLogger } from 'src/common/logger';
import { loadConfigOrExit } from 'src/config/app-config';
import { ConfigModule } from 'src/config/config.module';
import { DatabaseModule } from 'src/database/database.module';
import { PasswordsService } from 'src/users/passwords.service';
import { UsersModule } from 'src/users/users.module';

import { runCli } from './run-cli';

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(email: string | undefined): Promise<number> {
  if (!email || process.argv.length > 3) {
    out('usage: npm run user:reset-password -- EMAIL');
    return 2;
  }
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
  // Only what a password reset needs: the database (migrated, as on a start) and the users.
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, UsersModule] })
  class ResetPasswordModule {}
  const app = await NestFactory.createApplicationContext(ResetPasswordModule, { logger: new PinoNestLogger(logger), abortOnError: false });
  try {
    const { user, password } = await app.get(PasswordsService).resetFromCli(email);
    out(`New one-time password for ${user.email}: ${password}`);
    out('Sign in with it; you will be asked to choose a new password.');
    if (!user.active) out(`Note: ${user.email} is deactivated; an admin must reactivate the account before it can sign in.`);
    return 0;
  } catch (e) {
    if (!(e instanceof NotFoundException)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

runCli(main);
