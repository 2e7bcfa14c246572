import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { AuthContext } from 'src/auth/auth-context';
import { AuthService, JwtPayload } from 'src/auth/auth.service';
import { JWT_SECRET } from 'src/auth/jwt-secret.provider';

export const SESSION_COOKIE = 'crt_session';

const fromSessionCookie = (req: Request): string | null => {
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE] ?? null;
};

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
