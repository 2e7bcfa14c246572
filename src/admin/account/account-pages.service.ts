import { Injectable } from '@nestjs/common';

import { FormBody, field, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { localPath, page, redirect, UiResult } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { ChangePasswordDto } from 'src/auth/auth.dto';
import { PasswordsService } from 'src/users/passwords.service';

/** Where a one-time password leads, and where anyone changes their password. */
export const PASSWORD_PAGE = '/ui/account/password';

const secret = (body: FormBody, name: string) => (typeof body[name] === 'string' ? body[name] : '');

@Injectable()
export class AccountPagesService {
  constructor(private readonly passwords: PasswordsService) {}

  passwordPage(auth: AuthContext, query: FormBody): UiResult {
    return page('password.njk', { section: 'account', required: auth.passwordChangeRequired, next: localPath(field(query, 'next'), '') });
  }

  async changePassword(auth: AuthContext, body: FormBody): Promise<UiResult> {
    const next = localPath(field(body, 'next'), '/');
    const shown = { section: 'account', required: auth.passwordChangeRequired, next };
    const form = await validateForm(ChangePasswordDto, { currentPassword: secret(body, 'currentPassword'), newPassword: secret(body, 'newPassword') });
    if (form.errors) return page('password.njk', { ...shown, errors: form.errors }, 400);
    if (secret(body, 'confirmPassword') !== form.dto.newPassword) {
      return page('password.njk', { ...shown, errors: { confirmPassword: 'The two new passwords differ' } }, 400);
    }
    try {
      await this.passwords.changeOwn(auth, form.dto.currentPassword, form.dto.newPassword);
    } catch (e) {
      const errors = serviceErrors(e, (message) => (/current/i.test(message) && !/differ/i.test(message) ? 'currentPassword' : 'newPassword'));
      return page('password.njk', { ...shown, errors }, statusOf(e));
    }
    return redirect(next);
  }
}
