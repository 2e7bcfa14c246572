import { Get, Post, Req } from '@nestjs/common';
import type { Request } from 'express';

import { type FormBody, FormFields, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { SessionService } from 'src/admin/session/session.service';
import { Public } from 'src/auth/decorators/authenticated.decorator';

@UiController()
export class SessionController {
  constructor(private readonly service: SessionService) {}

  @Get('login')
  @Public()
  loginPage(@FormQuery() q: FormBody) {
    return this.service.loginPage(q);
  }

  /** Same limits as POST /api/v1/auth/login (SignInLimiter); CSRF-checked like every form post. */
  @Post('login')
  @Public()
  login(@Req() req: Request, @FormFields() body: FormBody) {
    return this.service.login(req, body);
  }

  /** Public so that an expired session can still be cleared; the CSRF check keeps other sites from signing you out. */
  @Post('logout')
  @Public()
  logout(@Req() req: Request) {
    return this.service.logout(req);
  }
}
