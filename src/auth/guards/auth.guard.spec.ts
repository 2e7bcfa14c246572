import { ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { AccessService } from 'src/auth/access.service';
import { AuthGuard } from 'src/auth/guards/auth.guard';

const context = () =>
  ({
    getHandler: () => function undecorated() {},
    getClass: () => class SomeController {},
    switchToHttp: () => ({ getRequest: () => ({ headers: {}, params: {} }) }),
  }) as unknown as ExecutionContext;

describe('AuthGuard', () => {
  it('fails closed: a handler without an access declaration is refused', async () => {
    const access = {} as AccessService;
    const guard = new AuthGuard(new Reflector(), access);
    await expect(guard.canActivate(context())).rejects.toThrow(ForbiddenException);
  });
});
