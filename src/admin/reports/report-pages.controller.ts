import { Get, Param } from '@nestjs/common';

import { UiController } from 'src/admin/http/ui-controller.decorator';
import { ReportPagesService } from 'src/admin/reports/report-pages.service';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';

@UiController('ui/clients/:clientId/reports')
export class ReportPagesController {
  constructor(private readonly service: ReportPagesService) {}

  @Get()
  @Authenticated({ permission: Permission.ReportRead })
  reports(@CurrentUser() auth: AuthContext, @Param() p: ClientParams) {
    return this.service.reports(auth, p.clientId);
  }
}
