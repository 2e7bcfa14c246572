import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';

import { AuthService } from 'src/auth/auth.service';
import { UserEntity } from 'src/users/user.entity';

/** Email + password, used only by POST /auth/login. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password' });
  }

  async validate(email: string, password: string): Promise<UserEntity> {
    const user = await this.auth.validateCredentials(email.toLowerCase(), password);
    if (!user) throw new UnauthorizedException('Email or password is incorrect');
    return user;
  }
}
