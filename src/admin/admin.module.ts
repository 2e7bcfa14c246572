import { Module } from '@nestjs/common';

import { AccountPagesController } from 'src/admin/account/account-pages.controller';
import { AccountPagesService } from 'src/admin/account/account-pages.service';
import { AssetsController } from 'src/admin/assets.controller';
import { AuditPagesController } from 'src/admin/audit/audit-pages.controller';
import { AuditPagesService } from 'src/admin/audit/audit-pages.service';
import { ClientPagesController } from 'src/admin/clients/client-pages.controller';
import { ClientPagesService } from 'src/admin/clients/client-pages.service';
import { ControlPagesController } from 'src/admin/controls/control-pages.controller';
import { ControlPagesService } from 'src/admin/controls/control-pages.service';
import { DashboardController } from 'src/admin/dashboard/dashboard.controller';
import { DashboardService } from 'src/admin/dashboard/dashboard.service';
import { EvidencePagesController } from 'src/admin/evidence/evidence-pages.controller';
import { EvidencePagesService } from 'src/admin/evidence/evidence-pages.service';
import { CsrfMiddleware } from 'src/admin/http/csrf.middleware';
import { CsrfService } from 'src/admin/http/csrf.service';
import { UiAssetsService } from 'src/admin/http/ui-assets.service';
import { UiExceptionFilter } from 'src/admin/http/ui-exception.filter';
import { UiRendererService } from 'src/admin/http/ui-renderer.service';
import { UiResponseInterceptor } from 'src/admin/http/ui-response.interceptor';
import { MemberPagesController } from 'src/admin/members/member-pages.controller';
import { MemberPagesService } from 'src/admin/members/member-pages.service';
import { ReportPagesController } from 'src/admin/reports/report-pages.controller';
import { ReportPagesService } from 'src/admin/reports/report-pages.service';
import { SessionController } from 'src/admin/session/session.controller';
import { SessionService } from 'src/admin/session/session.service';
import { UserPagesController } from 'src/admin/users/user-pages.controller';
import { UserPagesService } from 'src/admin/users/user-pages.service';
import { AuditModule } from 'src/audit/audit.module';
import { AuthModule } from 'src/auth/auth.module';
import { CatalogsModule } from 'src/catalogs/catalogs.module';
import { ClientsModule } from 'src/clients/clients.module';
import { ControlsModule } from 'src/controls/controls.module';
import { EvidenceModule } from 'src/evidence/evidence.module';
import { ReadinessModule } from 'src/readiness/readiness.module';
import { UsersModule } from 'src/users/users.module';

/**
 * The web UI (SPEC 6): server-rendered pages over the feature services. It owns no entities and no SQL; every
 * number and rule comes from the feature modules, so the UI and the API cannot disagree.
 */
@Module({
  imports: [AuditModule, AuthModule, UsersModule, ClientsModule, CatalogsModule, ControlsModule, ReadinessModule, EvidenceModule],
  controllers: [
    AssetsController,
    SessionController,
    DashboardController,
    ClientPagesController,
    ControlPagesController,
    EvidencePagesController,
    MemberPagesController,
    ReportPagesController,
    UserPagesController,
    AccountPagesController,
    AuditPagesController,
  ],
  providers: [
    CsrfService,
    CsrfMiddleware,
    UiAssetsService,
    UiRendererService,
    UiResponseInterceptor,
    UiExceptionFilter,
    SessionService,
    DashboardService,
    ClientPagesService,
    ControlPagesService,
    EvidencePagesService,
    MemberPagesService,
    ReportPagesService,
    UserPagesService,
    AccountPagesService,
    AuditPagesService,
  ],
})
export class AdminModule {}
