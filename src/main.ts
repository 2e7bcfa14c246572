import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from 'src/app.module';
import { configureApp } from 'src/app.setup';
import { loadConfigOrExit } from 'src/config/app-config';
import { createLogger, PinoNestLogger } from 'src/common/logger';

async function bootstrap() {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.create(AppModule.register(config), { logger: new PinoNestLogger(logger), bodyParser: false });
  configureApp(app, logger, { trustProxy: config.trustProxy });
  await app.listen(config.port);
  logger.info({ port: config.port, database: config.databaseUrl ? 'postgresql' : 'embedded' }, `Listening on http://localhost:${config.port}`);
}

void bootstrap();
