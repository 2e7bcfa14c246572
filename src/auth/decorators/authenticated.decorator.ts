import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { Permission } from 'src/auth/permission';

export const AUTH_OPTIONS = 'auth:options';

export interface AuthOptions {
  /** Anyone may call: no credentials read. */
  public?: true;
  /** Only instance admins. */
  admin?: true;
  /**
   * Permission in the client named by the route's `:clientId`. The guard resolves the caller's role in that client;
   * a caller who is not a member (and not an admin) gets 404, exactly as for a client that does not exist.
   */
  permission?: Permission;
}

/** Declares who may call a route. Every handler carries this or @Public(); the guard refuses anything else. */
export const Authenticated = (opts: Omit<AuthOptions, 'public'> = {}) =>
  applyDecorators(
    SetMetadata(AUTH_OPTIONS, opts),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid credentials' }),
    ...(opts.admin || opts.permission ? [ApiForbiddenResponse({ description: 'Role lacks the permission' })] : []),
  );

export const Public = () => SetMetadata(AUTH_OPTIONS, { public: true } satisfies AuthOptions);
