import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditEventEntity } from 'src/audit/audit-event.entity';
import { AUDIT_HMAC_KEY, resolveAuditHmacKey } from 'src/audit/audit-key';
import { AuditAdminController } from 'src/audit/audit-admin.controller';
import { AuditVerifyService } from 'src/audit/audit-verify.service';
import { AuditController } from 'src/audit/audit.controller';
import { AuditRepository } from 'src/audit/audit.repository';
import { AuditService } from 'src/audit/audit.service';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController, AuditAdminController],
  providers: [
    AuditService,
    AuditVerifyService,
    AuditRepository,
    { provide: AUDIT_HMAC_KEY, inject: [APP_CONFIG], useFactory: (config: AppConfig) => resolveAuditHmacKey(config) },
  ],
  exports: [AuditService, AuditVerifyService],
})
export class AuditModule {}
