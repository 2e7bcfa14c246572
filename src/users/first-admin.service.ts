import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { generatePassword, hashPassword } from 'src/users/password';
import { userSnapshot } from 'src/users/users.dto';
import { UsersRepository } from 'src/users/users.repository';

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

/**
 * First run: an empty database gets one admin, from ADMIN_EMAIL / ADMIN_PASSWORD or with a generated one-time
 * password printed once. Several instances may start together on the same empty database: the count and the insert
 * happen under the migration lock, so exactly one of them creates the admin (and prints the password) while the
 * others find it there.
 */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdminService');

  constructor(
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Every start but the first stops here, without a lock or a hash.
    if ((await this.repo.count()) > 0) return;
    const email = this.config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const password = this.config.adminPassword ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const created = await this.dataSource.transaction(async (tx) => {
      await this.repo.lockFirstRun(tx);
      if ((await this.repo.count(tx)) > 0) return false;
      // A generated password is one-time: it went through a terminal and logs. A chosen ADMIN_PASSWORD is not.
      const user = await this.repo.insert({ email, name: 'Administrator', passwordHash, isAdmin: true, passwordChangeRequired: !this.config.adminPassword }, tx);
      await this.audit.record(tx, { actorUserId: null, clientId: null, action: 'user.bootstrap', entityType: 'user', entityId: user.id, after: userSnapshot(user) });
      return true;
    });
    if (!created) return;
    if (this.config.adminPassword) {
      this.logger.log(`Created the first admin ${email} with ADMIN_PASSWORD`);
    } else {
      // Shown once, on purpose: it is not stored anywhere in clear.
      process.stdout.write(`\nFirst run: created admin ${email} with password ${password}\nSign in with it; you will be asked to choose a new password.\n\n`);
    }
  }
}
