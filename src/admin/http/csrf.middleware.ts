import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

import { CSRF_FIELD, CsrfService } from 'src/admin/http/csrf.service';
import { UiRendererService } from 'src/admin/http/ui-renderer.service';
import { setPageHeaders } from 'src/admin/http/ui-response.interceptor';
import { isHtmx } from 'src/admin/http/ui-result';
import { isUiPath } from 'src/admin/ui-routes';
import type { ErrorBody } from 'src/common/errors';

export const CSRF_MESSAGE = 'Missing or invalid CSRF token: reload the page and try again';

/**
 * Refuses (403) unsafe requests that need a CSRF token (see CsrfService.required) and do not carry a valid one:
 * the API's error body for API paths, a page (or an htmx alert) for the UI's.
 *
 * Mounted by configureApp (src/app.setup.ts) as a plain Express middleware in front of the router, for every
 * request whatever its path: the check never depends on which spellings a route matcher would accept, so it runs
 * before Express decides (case-insensitively, with or without a trailing slash) which handler a path reaches. It
 * therefore answers by itself rather than through Nest's exception filters.
 */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  constructor(
    private readonly csrf: CsrfService,
    private readonly renderer: UiRendererService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (this.csrf.required(req) && !this.csrf.valid(req)) {
      if (!isUiPath(req.originalUrl)) {
        res.status(403).json({ statusCode: 403, error: 'Forbidden', message: CSRF_MESSAGE } satisfies ErrorBody);
        return;
      }
      setPageHeaders(res);
      if (isHtmx(req)) {
        res.setHeader('HX-Retarget', '#flash').setHeader('HX-Reswap', 'innerHTML');
        res.status(403).send(this.renderer.render(req, res, 'partials/flash.njk', { error: CSRF_MESSAGE }));
      } else {
        res.status(403).send(this.renderer.render(req, res, 'error.njk', { status: 403, message: CSRF_MESSAGE }));
      }
      return;
    }
    // The token is transport, not input: DTO validation must not see it.
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && CSRF_FIELD in body) delete body[CSRF_FIELD];
    next();
  }
}
