import { Module } from '@nestjs/common';

import { AuditModule } from 'src/audit/audit.module';
import { EvidenceModule } from 'src/evidence/evidence.module';
import { ReadinessModule } from 'src/readiness/readiness.module';
import { ReportsController } from 'src/reports/reports.controller';
import { ReportsRepository } from 'src/reports/reports.repository';
import { ReportsService } from 'src/reports/reports.service';

@Module({
  imports: [AuditModule, ReadinessModule, EvidenceModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository],
  exports: [ReportsService],
})
export class ReportsModule {}
