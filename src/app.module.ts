import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { AdminModule } from 'src/admin/admin.module';
import { AuditModule } from 'src/audit/audit.module';
import { AuthModule } from 'src/auth/auth.module';
import { CatalogsModule } from 'src/catalogs/catalogs.module';
import { ClientsModule } from 'src/clients/clients.module';
import { ControlsModule } from 'src/controls/controls.module';
import { HttpExceptionFilter } from 'src/common/http-exception.filter';
import { createValidationPipe } from 'src/common/validation';
import type { AppConfig } from 'src/config/app-config';
import { ConfigModule } from 'src/config/config.module';
import { DatabaseModule } from 'src/database/database.module';
import { EvidenceModule } from 'src/evidence/evidence.module';
import { HealthModule } from 'src/health/health.module';
import { ReadinessModule } from 'src/readiness/readiness.module';
import { ReportsModule } from 'src/reports/reports.module';
import { UsersModule } from 'src/users/users.module';

@Module({})
export class AppModule {
  /** The whole service for one validated configuration (tests pass their own). */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AuditModule, AuthModule, UsersModule, ClientsModule, CatalogsModule, ControlsModule, EvidenceModule, ReadinessModule, ReportsModule, HealthModule, AdminModule],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
