import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import { Request } from 'express';

import { LoginDto } from 'src/auth/auth.dto';
import { createValidationPipe } from 'src/common/validation';

/**
 * Runs passport's local strategy for POST /auth/login, after checking the body's shape with the global validation
 * rules (guards run before pipes, and a malformed body deserves a 400, not a 401).
 */
@Injectable()
export class LoginGuard extends PassportAuthGuard('local') {
  private readonly pipe = createValidationPipe();

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    req.body = await this.pipe.transform(req.body ?? {}, { type: 'body', metatype: LoginDto });
    return (await super.canActivate(ctx)) as boolean;
  }
}
