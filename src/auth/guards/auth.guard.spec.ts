import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
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

describe('AuthGuard.handleRequest', () => {
  const guard = new AuthGuard(new Reflector(), {} as AccessService);

  it('refuses missing or invalid credentials with 401', () => {
    expect(() => guard.handleRequest(null, false)).toThrow(UnauthorizedException);
  });

  it('passes on an error of the lookup (e.g. the database is down) instead of calling it invalid credentials', () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(() => guard.handleRequest(down, false)).toThrow(down);
  });

  it('returns the user', () => {
    expect(guard.handleRequest(null, { userId: 'u' })).toEqual({ userId: 'u' });
  });
});
