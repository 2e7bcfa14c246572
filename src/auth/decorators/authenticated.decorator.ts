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
  /** Only callers who may open clients: admins, and users an admin allowed (AuthContext.mayCreateClients). */
  createClients?: true;
  /**
   * Also open to a caller who signed in with a one-time password and has not chosen a new one yet (every other
   * route refuses them with 403): the password change itself, and reading one's own account.
   */
  duringPasswordChange?: true;
}

/** Declares who may call a route. Every handler carries this or @Public(); the guard refuses anything else. */
export const Authenticated = (opts: Omit<AuthOptions, 'public'> = {}) =>
  applyDecorators(
    SetMetadata(AUTH_OPTIONS, opts),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid credentials' }),
    ...(opts.admin || opts.permission || opts.createClients ? [ApiForbiddenResponse({ description: 'Role lacks the permission' })] : []),
  );

export const Public = () => SetMetadata(AUTH_OPTIONS, { public: true } satisfies AuthOptions);
