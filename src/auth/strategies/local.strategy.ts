import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Request } from 'express';
import { Strategy } from 'passport-local';

import { AuthService } from 'src/auth/auth.service';
import { UserEntity } from 'src/users/user.entity';

/** Email + password, used only by POST /auth/login; limited per account+address and per address (SignInLimiter). */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(req: Request, email: string, password: string): Promise<UserEntity> {
    const user = await this.auth.signIn(email.toLowerCase(), password, req.ip);
    if (!user) throw new UnauthorizedException('Email or password is incorrect');
    return user;
  }
}
