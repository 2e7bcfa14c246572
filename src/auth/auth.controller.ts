import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Request } from 'express';

import { AuthContext } from 'src/auth/auth-context';
import {
  ApiTokenParams,
  ApiTokenResponseDto,
  ChangePasswordDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  LoginDto,
  LoginResponseDto,
  MeDto,
} from 'src/auth/auth.dto';
import { AuthService } from 'src/auth/auth.service';
import { Authenticated, Public } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { LoginGuard } from 'src/auth/guards/login.guard';
import { UserEntity } from 'src/users/user.entity';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly service: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginGuard)
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts for this account from this address, or from this address; see Retry-After' })
  login(@Req() req: Request & { user: UserEntity }) {
    return this.service.login(req.user);
  }

  @Get('me')
  @Authenticated({ duringPasswordChange: true })
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() auth: AuthContext) {
    return this.service.me(auth);
  }

  @Post('password')
  @HttpCode(200)
  @Authenticated({ duringPasswordChange: true })
  @ApiOperation({ summary: 'Change your own password (required first after signing in with a one-time password)' })
  @ApiOkResponse({ type: MeDto })
  @ApiBadRequestResponse({ description: 'Current password incorrect, or the new one too short, too long or unchanged' })
  changePassword(@CurrentUser() auth: AuthContext, @Body() dto: ChangePasswordDto) {
    return this.service.changePassword(auth, dto);
  }

  @Get('tokens')
  @Authenticated()
  @ApiOperation({ summary: "The caller's personal API tokens (never the tokens themselves)" })
  @ApiOkResponse({ type: [ApiTokenResponseDto] })
  listTokens(@CurrentUser() auth: AuthContext) {
    return this.service.listTokens(auth);
  }

  @Post('tokens')
  @Authenticated()
  @ApiOperation({ summary: 'Create a personal API token for scripts; the token is shown once' })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  createToken(@CurrentUser() auth: AuthContext, @Body() dto: CreateApiTokenDto) {
    return this.service.createToken(auth, dto);
  }

  @Delete('tokens/:tokenId')
  @Authenticated()
  @ApiOperation({ summary: 'Revoke one of your API tokens' })
  @ApiOkResponse({ type: ApiTokenResponseDto })
  revokeToken(@CurrentUser() auth: AuthContext, @Param() p: ApiTokenParams) {
    return this.service.revokeToken(auth, p.tokenId);
  }
}
