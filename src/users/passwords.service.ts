import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import { AuthContext } from 'src/auth/auth-context';
import { normalizeEmail } from 'src/common/email';
import { findOrFail } from 'src/common/errors';
import { generatePassword, hashPassword, verifyPassword } from 'src/users/password';
import { UserEntity } from 'src/users/user.entity';
import { UsersRepository } from 'src/users/users.repository';

/** A user's own password: changing it, and resetting it from the command line when nobody can sign in. */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The caller's own password change, which also ends a one-time password's reign (`passwordChangeRequired`).
   * The current password is asked for, so a session left open in a browser is not enough to take the account over.
   */
  async changeOwn(auth: AuthContext, currentPassword: string, newPassword: string): Promise<UserEntity> {
    if (currentPassword === newPassword) throw new BadRequestException('The new password must differ from the current one');
    const user = await findOrFail(this.repo.findById(auth.userId), 'User');
    if (!(await verifyPassword(user.passwordHash, currentPassword))) throw new BadRequestException('The current password is incorrect');
    const passwordHash = await hashPassword(newPassword);
    return this.dataSource.transaction(async (tx) => {
      const fresh = await findOrFail(this.repo.findById(auth.userId, tx), 'User');
      const before = { passwordChangeRequired: fresh.passwordChangeRequired };
      fresh.passwordHash = passwordHash;
      fresh.passwordChangeRequired = false;
      const saved = await this.repo.save(fresh, tx);
      await this.audit.record(tx, {
        actorUserId: auth.userId,
        clientId: null,
        action: 'user.password_change',
        entityType: 'user',
        entityId: user.id,
        before,
        after: { passwordChangeRequired: false, passwordChanged: true },
      });
      return saved;
    });
  }

  /**
   * Recovery without mail (`npm run user:reset-password`): a new generated password for the user behind `email`,
   * one-time (the user must choose their own at the next sign-in). Audited with no actor; never the password.
   */
  async resetFromCli(email: string): Promise<{ user: UserEntity; password: string }> {
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    const user = await this.dataSource.transaction(async (tx) => {
      const found = await this.repo.findByEmail(String(normalizeEmail(email)), tx);
      if (!found) throw new NotFoundException(`No user has the email ${String(normalizeEmail(email))}`);
      found.passwordHash = passwordHash;
      found.passwordChangeRequired = true;
      const saved = await this.repo.save(found, tx);
      await this.audit.record(tx, { actorUserId: null, clientId: null, action: 'user.password_reset', entityType: 'user', entityId: saved.id, after: { via: 'cli' } });
      return saved;
    });
    return { user, password };
  }
}
