import { ForbiddenException } from '@nestjs/common';

export const PASSWORD_CHANGE_MESSAGE = 'You signed in with a one-time password: change your password first (POST /api/v1/auth/password)';

/** The caller signed in with a one-time password and asked for something else than choosing a new one. */
export class PasswordChangeRequiredException extends ForbiddenException {
  constructor() {
    super(PASSWORD_CHANGE_MESSAGE);
  }
}

export const CLIENT_CREATION_MESSAGE = 'Creating clients is reserved to administrators and to users they allow: ask an administrator to allow you';
