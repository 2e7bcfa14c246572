import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import helmet from 'helmet';
import { Logger } from 'pino';

import { CsrfMiddleware } from 'src/admin/http/csrf.middleware';
import { UI_ROUTES } from 'src/admin/ui-routes';
import { rejectHostileInput } from 'src/common/input-guard';
import { createHttpLogger } from 'src/common/logger';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the tests must configure identically on the application object. */
export function configureApp(app: INestApplication, logger: Logger, opts: { trustProxy?: boolean | number | string } = {}): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.set('trust proxy', opts.trustProxy ?? false);
  if (opts.trustProxy === true) {
    logger.warn(
      'TRUST_PROXY=true believes X-Forwarded-For from anyone: any client can pick the address it is counted under ' +
        '(sign-in limits, logs) and claim HTTPS. Set the number of proxies in front of the service (TRUST_PROXY=1) ' +
        'or their addresses instead.',
    );
  }
  // Security headers on every response. The content security policy is set per response instead: strict on web
  // UI pages (src/admin), sandboxed on evidence downloads; JSON needs none, and /docs needs its own scripts.
  express.use(helmet({ contentSecurityPolicy: false }));
  express.use(createHttpLogger(logger));
  express.use(json({ limit: '1mb' }));
  express.use(urlencoded({ extended: false, limit: '1mb' }));
  // NUL, unpaired surrogates, deep nesting and __proto__ keys refused before guards or pipes read the input.
  express.use(rejectHostileInput);
  // The web UI's session cookie (read by JwtStrategy) and CSRF cookie (src/admin/http/csrf.service.ts).
  express.use(cookieParser());
  // CSRF for the whole service, UI forms and cookie-authenticated API calls alike, before any routing.
  const csrf = app.get(CsrfMiddleware);
  express.use((req: Request, res: Response, next: NextFunction) => csrf.use(req, res, next));
  // The web UI lives outside /api/v1 (src/admin/ui-routes.ts).
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health', method: RequestMethod.GET }, ...UI_ROUTES] });
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Compliance readiness tracker')
      .setDescription('SOC 2, HIPAA and PCI DSS readiness: catalogs, controls, evidence, reports.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
