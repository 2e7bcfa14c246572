import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';

import { AuthContext } from 'src/auth/auth-context';
import { AuthService } from 'src/auth/auth.service';

/** Personal API tokens (`crt_...`) as bearer tokens, for scripts. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, 'api-token') {
  constructor(private readonly auth: AuthService) {
    super();
  }

  validate(token: string): Promise<AuthContext | null> {
    return this.auth.contextFromApiToken(token);
  }
}
