import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { CreateUserDto, UpdateUserDto, UserPageDto, UserParams, UserResponseDto, UsersQueryDto } from 'src/users/users.dto';
import { UsersService } from 'src/users/users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @Get()
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() q: UsersQueryDto) {
    return this.service.list(q);
  }

  @Post()
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserResponseDto })
  create(@CurrentUser() auth: AuthContext, @Body() dto: CreateUserDto) {
    return this.service.create(auth, dto);
  }

  @Get(':userId')
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'Get one user (admin)' })
  @ApiOkResponse({ type: UserResponseDto })
  get(@Param() p: UserParams) {
    return this.service.get(p.userId);
  }

  @Patch(':userId')
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'Rename, promote, reset the password of, deactivate or reactivate a user (admin)' })
  @ApiOkResponse({ type: UserResponseDto })
  update(@CurrentUser() auth: AuthContext, @Param() p: UserParams, @Body() dto: UpdateUserDto) {
    return this.service.update(auth, p.userId, dto);
  }
}
