import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { BulkControlsDto, BulkResultDto, ControlDetailDto, ControlPageDto, ControlParams, ControlsQueryDto, UpdateControlDto } from 'src/controls/controls.dto';
import { ControlsService } from 'src/controls/controls.service';

@ApiTags('controls')
@Controller('clients/:clientId/controls')
export class ControlsController {
  constructor(private readonly service: ControlsService) {}

  @Get()
  @Authenticated({ permission: Permission.ControlRead })
  @ApiOperation({ summary: "The client's controls with readiness state, owner, due date and evidence count: filtered, sorted, paginated" })
  @ApiOkResponse({ type: ControlPageDto })
  list(@Param() p: ClientParams, @Query() q: ControlsQueryDto) {
    return this.service.list(p.clientId, q);
  }

  @Post('bulk')
  @HttpCode(200)
  @Authenticated({ permission: Permission.ControlWrite })
  @ApiOperation({ summary: 'Set owner, due date, status or applicability on many controls (by ids or by filter), all or nothing' })
  @ApiOkResponse({ type: BulkResultDto })
  bulk(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Body() dto: BulkControlsDto) {
    return this.service.bulk(auth, p.clientId, dto);
  }

  @Get(':controlId')
  @Authenticated({ permission: Permission.ControlRead })
  @ApiOperation({ summary: 'One control: requirement text and guidance, mapped controls in other frameworks, evidence, history' })
  @ApiOkResponse({ type: ControlDetailDto })
  get(@Param() p: ControlParams) {
    return this.service.get(p.clientId, p.controlId);
  }

  @Patch(':controlId')
  @Authenticated({ permission: Permission.ControlWriteOwn })
  @ApiOperation({ summary: 'Change status, owner, due date, notes or applicability (members: status and notes of their own controls)' })
  @ApiOkResponse({ type: ControlDetailDto })
  update(@CurrentUser() auth: AuthContext, @Param() p: ControlParams, @Body() dto: UpdateControlDto) {
    return this.service.update(auth, p.clientId, p.controlId, dto);
  }
}
