import { Injectable } from '@nestjs/common';
import { CookieOptions, Request } from 'express';

import { PASSWORD_PAGE } from 'src/admin/account/account-pages.service';
import { FormBody, field, validateForm } from 'src/admin/http/forms';
import { localPath, page, redirect, UiResult } from 'src/admin/http/ui-result';
import { LoginDto } from 'src/auth/auth.dto';
import { AuthService } from 'src/auth/auth.service';
import { SESSION_COOKIE } from 'src/auth/strategies/jwt.strategy';

/**
 * The session cookie carries the same JWT as the API's bearer token. httpOnly (scripts never see it), SameSite=Lax
 * (not sent with cross-site posts), Secure over HTTPS; no Max-Age, so it ends with the browser session, and the
 * token inside expires after JWT_TTL anyway.
 */
const sessionCookie = (req: Request): CookieOptions => ({ httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });

@Injectable()
export class SessionService {
  constructor(private readonly auth: AuthService) {}

  loginPage(query: FormBody): UiResult {
    return page('login.njk', { next: localPath(field(query, 'next'), '') });
  }

  async login(req: Request, body: FormBody): Promise<UiResult> {
    const next = localPath(field(body, 'next'), '/');
    const email = field(body, 'email') ?? '';
    const form = await validateForm(LoginDto, { email, password: typeof body.password === 'string' ? body.password : '' });
    if (form.errors) return page('login.njk', { next, email, errors: form.errors }, 400);
    const user = await this.auth.validateCredentials(form.dto.email, form.dto.password);
    if (!user) return page('login.njk', { next, email, error: 'Email or password is incorrect.' }, 401);
    const { accessToken } = await this.auth.login(user);
    // A one-time password goes straight to choosing a new one, then on to where the user was going.
    const to = user.passwordChangeRequired ? `${PASSWORD_PAGE}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}` : next;
    return redirect(to, [{ name: SESSION_COOKIE, value: accessToken, options: sessionCookie(req) }]);
  }

  logout(req: Request): UiResult {
    return redirect('/login', [{ name: SESSION_COOKIE, value: null, options: sessionCookie(req) }]);
  }
}
