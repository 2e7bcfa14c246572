import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { AuthContext } from 'src/auth/auth-context';
import { AuthService, JwtPayload } from 'src/auth/auth.service';
import { JWT_SECRET } from 'src/auth/jwt-secret.provider';
import { sessionCookieOf } from 'src/auth/session-cookie';

/**
 * The web UI's session cookie, only when the request has no Authorization header: a request that presents a
 * header is judged on it alone, which is what lets CsrfService exempt bearer requests from CSRF tokens.
 */
const fromSessionCookie = (req: Request): string | null => (req.headers.authorization === undefined ? (sessionCookieOf(req) ?? null) : null);

/** Bearer JWT for the API; the web UI's session cookie carries the same token. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly auth: AuthService,
    @Inject(JWT_SECRET) secret: string,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), fromSessionCookie]),
      ignoreExpiration: false,
      secretOrKey: secret,
      algorithms: ['HS256'],
    });
  }

  validate(payload: JwtPayload): Promise<AuthContext | null> {
    return this.auth.contextFromJwt(payload);
  }
}
