import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Response } from 'express';
import { map, Observable } from 'rxjs';

import { UiRendererService, UiRequest } from 'src/admin/http/ui-renderer.service';
import { isHtmx, UiResult } from 'src/admin/http/ui-result';

/**
 * Content-Security-Policy of every UI page: scripts and styles only from this site (no inline script, no inline
 * style), forms only to this site, never framed.
 */
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export function setPageHeaders(res: Response): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', UI_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
}

/**
 * Turns a UiResult into the response: a rendered page or fragment with its status, or a redirect (303 for a
 * browser, `HX-Redirect` for htmx, which would otherwise follow it and swap the whole page into a fragment).
 */
@Injectable()
export class UiResponseInterceptor implements NestInterceptor {
  constructor(private readonly renderer: UiRendererService) {}

  intercept(ctx: ExecutionContext, next: CallHandler<UiResult>): Observable<string> {
    const req = ctx.switchToHttp().getRequest<UiRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((result) => {
        for (const c of result.cookies ?? []) {
          if (c.value === null) res.clearCookie(c.name, c.options);
          else res.cookie(c.name, c.value, c.options);
        }
        setPageHeaders(res);
        if (result.kind === 'redirect') {
          if (isHtmx(req)) {
            res.status(200).setHeader('HX-Redirect', result.to);
          } else {
            res.status(303).setHeader('Location', result.to);
          }
          return '';
        }
        res.status(result.status);
        return this.renderer.render(req, res, result.view, result.context);
      }),
    );
  }
}
