import { Get, Param, Post } from '@nestjs/common';

import { type FormBody, FormFields, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { UserPagesService } from 'src/admin/users/user-pages.service';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { UserParams } from 'src/users/users.dto';

@UiController('ui/users')
export class UserPagesController {
  constructor(private readonly service: UserPagesService) {}

  @Get()
  @Authenticated({ admin: true })
  list(@FormQuery() q: FormBody) {
    return this.service.list(q);
  }

  @Post()
  @Authenticated({ admin: true })
  create(@CurrentUser() auth: AuthContext, @FormFields() body: FormBody) {
    return this.service.create(auth, body);
  }

  @Post(':userId/deactivate')
  @Authenticated({ admin: true })
  deactivate(@CurrentUser() auth: AuthContext, @Param() p: UserParams, @FormFields() body: FormBody) {
    return this.service.setActive(auth, p.userId, false, body);
  }

  /** Allows (`allow=true`) or stops (`allow=false`) the user creating clients. */
  @Post(':userId/client-creation')
  @Authenticated({ admin: true })
  setClientCreation(@CurrentUser() auth: AuthContext, @Param() p: UserParams, @FormFields() body: FormBody) {
    return this.service.setClientCreation(auth, p.userId, body);
  }

  @Post(':userId/reactivate')
  @Authenticated({ admin: true })
  reactivate(@CurrentUser() auth: AuthContext, @Param() p: UserParams, @FormFields() body: FormBody) {
    return this.service.setActive(auth, p.userId, true, body);
  }
}
