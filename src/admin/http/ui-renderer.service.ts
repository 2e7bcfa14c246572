import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { join } from 'node:path';

import { CsrfService } from 'src/admin/http/csrf.service';
import { UiAssetsService } from 'src/admin/http/ui-assets.service';
import { registerFilters } from 'src/admin/http/view-filters';
import { adminDir } from 'src/admin/ui-routes';
import { AuthContext } from 'src/auth/auth-context';

export type UiRequest = Request & { auth?: AuthContext; user?: unknown };

/** Renders the templates under src/admin/views with what every page needs (who is signed in, the CSRF token). */
@Injectable()
export class UiRendererService {
  private readonly env: nunjucks.Environment;

  constructor(
    private readonly csrf: CsrfService,
    assets: UiAssetsService,
  ) {
    // autoescape: every value is HTML-escaped unless a template marks it safe (none does with user data).
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader(join(adminDir(), 'views')), {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
    });
    this.env.addGlobal('asset', (name: string) => assets.url(name));
    registerFilters(this.env);
  }

  render(req: UiRequest, res: Response, view: string, context: object = {}): string {
    const auth = req.auth ?? (req.user instanceof AuthContext ? req.user : undefined);
    return this.env.render(view, {
      me: auth
        ? { id: auth.userId, email: auth.email, isAdmin: auth.isAdmin, mayCreateClients: auth.mayCreateClients, passwordChangeRequired: auth.passwordChangeRequired }
        : null,
      csrfToken: this.csrf.token(req, res),
      currentUrl: req.originalUrl,
      ...context,
    });
  }
}
