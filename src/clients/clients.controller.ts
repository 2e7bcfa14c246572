import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientPageDto, ClientResponseDto, ClientsQueryDto, CreateClientDto, UpdateClientDto } from 'src/clients/clients.dto';
import { ClientsService } from 'src/clients/clients.service';
import { ClientParams } from 'src/common/client-params.dto';

@ApiTags('clients')
@Controller('clients')
export class ClientsController {
  constructor(private readonly service: ClientsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Clients the caller may see (every client for admins)' })
  @ApiOkResponse({ type: ClientPageDto })
  list(@CurrentUser() auth: AuthContext, @Query() q: ClientsQueryDto) {
    return this.service.list(auth, q);
  }

  @Post()
  @Authenticated({ createClients: true })
  @ApiOperation({ summary: 'Create a client; the caller becomes its consultant (admins, and users an admin allows)' })
  @ApiCreatedResponse({ type: ClientResponseDto })
  create(@CurrentUser() auth: AuthContext, @Body() dto: CreateClientDto) {
    return this.service.create(auth, dto);
  }

  @Get(':clientId')
  @Authenticated({ permission: Permission.ClientRead })
  @ApiOperation({ summary: 'One client' })
  @ApiOkResponse({ type: ClientResponseDto })
  get(@CurrentUser() auth: AuthContext, @Param() p: ClientParams) {
    return this.service.get(auth, p.clientId);
  }

  @Patch(':clientId')
  @Authenticated({ permission: Permission.ClientUpdate })
  @ApiOperation({ summary: 'Rename or describe a client' })
  @ApiOkResponse({ type: ClientResponseDto })
  update(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Body() dto: UpdateClientDto) {
    return this.service.update(auth, p.clientId, dto);
  }
}
