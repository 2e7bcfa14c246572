import { Module } from '@nestjs/common';

import { AuditModule } from 'src/audit/audit.module';
import { AuthModule } from 'src/auth/auth.module';
import { CatalogsModule } from 'src/catalogs/catalogs.module';
import { ControlsController } from 'src/controls/controls.controller';
import { ControlsRepository } from 'src/controls/controls.repository';
import { ControlsService } from 'src/controls/controls.service';
import { EnrollmentsController } from 'src/controls/enrollments.controller';
import { EnrollmentsService } from 'src/controls/enrollments.service';
import { ReadinessModule } from 'src/readiness/readiness.module';

@Module({
  imports: [AuditModule, AuthModule, CatalogsModule, ReadinessModule],
  controllers: [EnrollmentsController, ControlsController],
  providers: [ControlsService, EnrollmentsService, ControlsRepository],
  exports: [ControlsService, EnrollmentsService],
})
export class ControlsModule {}
