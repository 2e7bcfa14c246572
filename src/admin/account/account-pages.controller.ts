import { Get, Post } from '@nestjs/common';

import { AccountPagesService } from 'src/admin/account/account-pages.service';
import { type FormBody, FormFields, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';

/** The signed-in user's own account. The password page stays open to a one-time password: it is where it leads. */
@UiController('ui/account')
export class AccountPagesController {
  constructor(private readonly service: AccountPagesService) {}

  @Get('password')
  @Authenticated({ duringPasswordChange: true })
  passwordPage(@CurrentUser() auth: AuthContext, @FormQuery() q: FormBody) {
    return this.service.passwordPage(auth, q);
  }

  @Post('password')
  @Authenticated({ duringPasswordChange: true })
  changePassword(@CurrentUser() auth: AuthContext, @FormFields() body: FormBody) {
    return this.service.changePassword(auth, body);
  }
}
