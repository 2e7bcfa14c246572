import { Injectable } from '@nestjs/common';
import { Request } from 'express';

import { PASSWORD_PAGE } from 'src/admin/account/account-pages.service';
import { FormBody, field, validateForm } from 'src/admin/http/forms';
import { localPath, page, redirect, UiResult } from 'src/admin/http/ui-result';
import { LoginDto } from 'src/auth/auth.dto';
import { AuthService } from 'src/auth/auth.service';
import { cookieOptions, sessionCookieName } from 'src/auth/session-cookie';

@Injectable()
export class SessionService {
  constructor(private readonly auth: AuthService) {}

  loginPage(query: FormBody): UiResult {
    return page('login.njk', { next: localPath(field(query, 'next'), '') });
  }

  /** Same limits as POST /api/v1/auth/login (SignInLimiter): a refusal is a 429 shown on the sign-in page. */
  async login(req: Request, body: FormBody): Promise<UiResult> {
    const next = localPath(field(body, 'next'), '/');
    const email = field(body, 'email') ?? '';
    const form = await validateForm(LoginDto, { email, password: typeof body.password === 'string' ? body.password : '' });
    if (form.errors) return page('login.njk', { next, email, errors: form.errors }, 400);
    const user = await this.auth.signIn(form.dto.email, form.dto.password, req.ip);
    if (!user) return page('login.njk', { next, email, error: 'Email or password is incorrect.' }, 401);
    const { accessToken } = await this.auth.login(user);
    // A one-time password goes straight to choosing a new one, then on to where the user was going.
    const to = user.passwordChangeRequired ? `${PASSWORD_PAGE}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}` : next;
    return redirect(to, [{ name: sessionCookieName(req), value: accessToken, options: cookieOptions(req) }]);
  }

  logout(req: Request): UiResult {
    return redirect('/login', [{ name: sessionCookieName(req), value: null, options: cookieOptions(req) }]);
  }
}
