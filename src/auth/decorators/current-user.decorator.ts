import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { AuthContext } from 'src/auth/auth-context';

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  return ctx.switchToHttp().getRequest<{ auth: AuthContext }>().auth;
});
