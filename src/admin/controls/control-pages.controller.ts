import { Get, Param, Post } from '@nestjs/common';

import { ControlPagesService } from 'src/admin/controls/control-pages.service';
import { type FormBody, FormFields, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { Htmx } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { ControlParams } from 'src/controls/controls.dto';

@UiController('ui/clients/:clientId/controls')
export class ControlPagesController {
  constructor(private readonly service: ControlPagesService) {}

  @Get()
  @Authenticated({ permission: Permission.ControlRead })
  matrix(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @FormQuery() q: FormBody) {
    return this.service.matrix(auth, p.clientId, q);
  }

  /** Declared before `:controlId` so that "bulk" is never taken for a control id. */
  @Post('bulk')
  @Authenticated({ permission: Permission.ControlWrite })
  bulk(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @FormFields() body: FormBody, @Htmx() htmx: boolean) {
    return this.service.bulk(auth, p.clientId, body, htmx);
  }

  @Get(':controlId')
  @Authenticated({ permission: Permission.ControlRead })
  control(@CurrentUser() auth: AuthContext, @Param() p: ControlParams, @FormQuery() q: FormBody) {
    return this.service.controlPage(auth, p.clientId, p.controlId, { saved: q.saved === '1' });
  }

  @Get(':controlId/row')
  @Authenticated({ permission: Permission.ControlRead })
  row(@CurrentUser() auth: AuthContext, @Param() p: ControlParams) {
    return this.service.row(auth, p.clientId, p.controlId);
  }

  @Get(':controlId/edit')
  @Authenticated({ permission: Permission.ControlWriteOwn })
  editRow(@CurrentUser() auth: AuthContext, @Param() p: ControlParams) {
    return this.service.editRow(auth, p.clientId, p.controlId);
  }

  @Post(':controlId')
  @Authenticated({ permission: Permission.ControlWriteOwn })
  update(@CurrentUser() auth: AuthContext, @Param() p: ControlParams, @FormFields() body: FormBody, @Htmx() htmx: boolean) {
    return this.service.update(auth, p.clientId, p.controlId, body, htmx);
  }
}
