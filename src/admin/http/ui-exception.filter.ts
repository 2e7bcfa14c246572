import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Response } from 'express';

import { PASSWORD_PAGE } from 'src/admin/account/account-pages.service';
import { UiRendererService, UiRequest } from 'src/admin/http/ui-renderer.service';
import { setPageHeaders } from 'src/admin/http/ui-response.interceptor';
import { isHtmx } from 'src/admin/http/ui-result';
import { PasswordChangeRequiredException } from 'src/auth/auth.exceptions';
import { setRetryAfter } from 'src/common/errors';
import { DatabaseUnavailableException, logDatabaseFault, RETRY_AFTER_SECONDS } from 'src/database/database-errors';

/**
 * Errors of UI routes as pages, instead of the API's JSON: a request without a valid session goes to the sign-in
 * page (and comes back after it), anything else gets a page (or, for htmx, a message in the page's alert region)
 * saying what went wrong (503 when the database could not serve it). 404 stays 404, so a client's existence is no more revealed here than in the API.
 */
@Catch()
export class UiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('UiExceptionFilter');

  constructor(private readonly renderer: UiRendererService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<UiRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      res.destroy();
      return;
    }
    // A database that is down, frozen or too slow gets a 503 page saying so, never the sign-in page: the session is
    // fine, it just could not be checked.
    const unavailable = DatabaseUnavailableException.from(exception);
    if (unavailable) {
      logDatabaseFault(this.logger, unavailable);
      exception = unavailable;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    if (status >= 500 && !unavailable) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const htmx = isHtmx(req);
    setPageHeaders(res);
    setRetryAfter(res, exception);
    if (status === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));

    if (status === HttpStatus.UNAUTHORIZED) {
      const back = htmx ? this.pathOf(req.headers['hx-current-url']) : req.method === 'GET' ? req.originalUrl : '/';
      const login = back && back !== '/' ? `/login?next=${encodeURIComponent(back)}` : '/login';
      if (htmx) res.status(401).setHeader('HX-Redirect', login).send('');
      else res.status(303).setHeader('Location', login).send('');
      return;
    }

    if (exception instanceof PasswordChangeRequiredException) {
      // A one-time password leads to one page only; it brings the user back where they were going.
      const back = htmx ? this.pathOf(req.headers['hx-current-url']) : req.method === 'GET' ? req.originalUrl : '/';
      const to = back && back !== '/' ? `${PASSWORD_PAGE}?next=${encodeURIComponent(back)}` : PASSWORD_PAGE;
      if (htmx) res.status(403).setHeader('HX-Redirect', to).send('');
      else res.status(303).setHeader('Location', to).send('');
      return;
    }

    const message =
      status >= 500 && !unavailable ? 'Something went wrong on our side. Try again; if it keeps happening, tell your administrator.' : this.messageOf(exception);
    if (req.path === '/login' && (status === HttpStatus.TOO_MANY_REQUESTS || unavailable)) {
      res.status(status).send(this.renderer.render(req, res, 'login.njk', { error: message, email: (req.body as { email?: unknown })?.email }));
      return;
    }
    if (htmx) {
      // Shown in the page's alert region whatever element the request meant to update.
      res.setHeader('HX-Retarget', '#flash');
      res.setHeader('HX-Reswap', 'innerHTML');
      res.status(status).send(this.renderer.render(req, res, 'partials/flash.njk', { error: message }));
      return;
    }
    res.status(status).send(this.renderer.render(req, res, 'error.njk', { status, message }));
  }

  private messageOf(exception: unknown): string {
    if (!(exception instanceof HttpException)) return 'The request could not be completed.';
    const r = exception.getResponse();
    const m = typeof r === 'string' ? r : (r as { message?: string | string[] }).message;
    return Array.isArray(m) ? m.join('; ') : (m ?? exception.message);
  }

  private pathOf(url: unknown): string {
    if (typeof url !== 'string') return '/';
    try {
      const u = new URL(url);
      return u.pathname + u.search;
    } catch {
      return '/';
    }
  }
}
