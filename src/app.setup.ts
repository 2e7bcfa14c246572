import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import { Logger } from 'pino';

import { createHttpLogger } from 'src/common/logger';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the tests must configure identically on the application object. */
export function configureApp(app: INestApplication, logger: Logger): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  express.use(createHttpLogger(logger));
  express.use(json({ limit: '1mb' }));
  express.use(urlencoded({ extended: false, limit: '1mb' }));
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health', method: RequestMethod.GET }] });
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
