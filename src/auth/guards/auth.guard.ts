import {
  BadRequestException,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { Request } from 'express';

import { AccessService } from 'src/auth/access.service';
import { AuthContext } from 'src/auth/auth-context';
import { CLIENT_CREATION_MESSAGE, PasswordChangeRequiredException } from 'src/auth/auth.exceptions';
import { AUTH_OPTIONS, AuthOptions } from 'src/auth/decorators/authenticated.decorator';

type AuthedRequest = Request & { auth?: AuthContext; user?: AuthContext };

/**
 * The only guard: registered globally, it fails closed. A handler without @Authenticated/@Public is refused (403)
 * and logged as a programming error. Credentials are read by passport (API token first, then JWT); then the route's
 * declaration is checked: a pending one-time password, the admin flag, the right to create clients, or the permission
 * of the caller's role in the route's `:clientId`.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard(['api-token', 'jwt']) {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {
    super();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const opts = this.reflector.getAllAndOverride<AuthOptions | undefined>(AUTH_OPTIONS, [ctx.getHandler(), ctx.getClass()]);
    if (!opts) {
      this.logger.error(`${ctx.getClass().name}.${ctx.getHandler().name} has no @Authenticated or @Public declaration`);
      throw new ForbiddenException('This route is not available');
    }
    if (opts.public) return true;

    await super.canActivate(ctx);
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    let auth = req.user as AuthContext;

    if (auth.passwordChangeRequired && !opts.duringPasswordChange) throw new PasswordChangeRequiredException();
    if (opts.admin && !auth.isAdmin) throw new ForbiddenException('Only administrators may do this');
    if (opts.createClients && !auth.mayCreateClients) throw new ForbiddenException(CLIENT_CREATION_MESSAGE);

    const clientId = (req.params as Record<string, string | undefined>)?.clientId;
    if (clientId !== undefined) {
      if (!isUUID(clientId)) throw new BadRequestException('clientId must be a UUID');
      auth = await this.access.requireClient(auth, clientId);
    }
    if (opts.permission && !auth.can(opts.permission)) {
      throw new ForbiddenException(`Your role does not allow this (${opts.permission})`);
    }
    req.auth = auth;
    return true;
  }

  /**
   * Passport reports credentials that are missing, malformed, expired or unknown as "no user"; `err` is set only when
   * a strategy could not check them (its lookup failed, e.g. the database is down). That is not the caller's fault:
   * rethrown, it becomes a 503 (or a 500), so neither the API nor the web UI sends a signed-in user back to sign in.
   */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new UnauthorizedException('Missing or invalid credentials');
    return user;
  }
}
