import { Get, Param, Post } from '@nestjs/common';

import { ClientPagesService } from 'src/admin/clients/client-pages.service';
import { type FormBody, FormFields } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { EnrollmentParams } from 'src/controls/controls.dto';

@UiController('ui/clients/:clientId')
export class ClientPagesController {
  constructor(private readonly service: ClientPagesService) {}

  @Get()
  @Authenticated({ permission: Permission.ClientRead })
  overview(@CurrentUser() auth: AuthContext, @Param() p: ClientParams) {
    return this.service.overview(auth, p.clientId);
  }

  @Post('frameworks')
  @Authenticated({ permission: Permission.FrameworkEnroll })
  enroll(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @FormFields() body: FormBody) {
    return this.service.enroll(auth, p.clientId, body);
  }

  @Post('frameworks/:framework/unenroll')
  @Authenticated({ permission: Permission.FrameworkEnroll })
  unenroll(@CurrentUser() auth: AuthContext, @Param() p: EnrollmentParams) {
    return this.service.unenroll(auth, p.clientId, p.framework);
  }
}
