import { Get, Param, Post } from '@nestjs/common';

import { type FormBody, FormFields } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { MemberPagesService } from 'src/admin/members/member-pages.service';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { MemberParams } from 'src/clients/clients.dto';
import { ClientParams } from 'src/common/client-params.dto';

@UiController('ui/clients/:clientId/members')
export class MemberPagesController {
  constructor(private readonly service: MemberPagesService) {}

  @Get()
  @Authenticated({ permission: Permission.MemberRead })
  members(@CurrentUser() auth: AuthContext, @Param() p: ClientParams) {
    return this.service.members(auth, p.clientId);
  }

  @Post()
  @Authenticated({ permission: Permission.MemberManage })
  add(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @FormFields() body: FormBody) {
    return this.service.add(auth, p.clientId, body);
  }

  @Post(':userId/remove')
  @Authenticated({ permission: Permission.MemberManage })
  remove(@CurrentUser() auth: AuthContext, @Param() p: MemberParams) {
    return this.service.remove(auth, p.clientId, p.userId);
  }
}
