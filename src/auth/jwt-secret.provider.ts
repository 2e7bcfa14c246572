import { Provider } from '@nestjs/common';

import { resolveJwtSecret } from 'src/auth/jwt-secret';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';

export const JWT_SECRET = Symbol('JWT_SECRET');

export const jwtSecretProvider: Provider = {
  provide: JWT_SECRET,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => resolveJwtSecret(config),
};
