import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { AddedMemberResponseDto, AddMemberDto, MemberParams, MemberResponseDto } from 'src/clients/clients.dto';
import { ClientsService } from 'src/clients/clients.service';
import { ClientParams } from 'src/common/client-params.dto';

@ApiTags('members')
@Controller('clients/:clientId/members')
export class MembersController {
  constructor(private readonly service: ClientsService) {}

  @Get()
  @Authenticated({ permission: Permission.MemberRead })
  @ApiOperation({ summary: "The client's members and their roles" })
  @ApiOkResponse({ type: [MemberResponseDto] })
  list(@Param() p: ClientParams) {
    return this.service.listMembers(p.clientId);
  }

  @Post()
  @Authenticated({ permission: Permission.MemberManage })
  @ApiOperation({ summary: 'Add a member by email (creating the user if needed) or change a member\'s role' })
  @ApiCreatedResponse({ type: AddedMemberResponseDto })
  add(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Body() dto: AddMemberDto) {
    return this.service.addMember(auth, p.clientId, dto);
  }

  @Delete(':userId')
  @HttpCode(204)
  @Authenticated({ permission: Permission.MemberManage })
  @ApiOperation({ summary: 'Remove a member from the client' })
  @ApiNoContentResponse()
  remove(@CurrentUser() auth: AuthContext, @Param() p: MemberParams) {
    return this.service.removeMember(auth, p.clientId, p.userId);
  }
}
