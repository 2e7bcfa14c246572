import { Get, Post } from '@nestjs/common';

import { DashboardService } from 'src/admin/dashboard/dashboard.service';
import { type FormBody, FormFields, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';

@UiController()
export class DashboardController {
  constructor(private readonly service: DashboardService) {}

  @Get()
  @Authenticated()
  dashboard(@CurrentUser() auth: AuthContext, @FormQuery() q: FormBody) {
    return this.service.dashboard(auth, q);
  }

  @Post('ui/clients')
  @Authenticated({ createClients: true })
  create(@CurrentUser() auth: AuthContext, @FormFields() body: FormBody) {
    return this.service.create(auth, body);
  }
}
