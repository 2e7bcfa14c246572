import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { ClientReadinessDto } from 'src/readiness/readiness.dto';
import { ReadinessService } from 'src/readiness/readiness.service';

@ApiTags('readiness')
@Controller('clients/:clientId/readiness')
export class ReadinessController {
  constructor(private readonly service: ReadinessService) {}

  @Get()
  @Authenticated({ permission: Permission.ClientRead })
  @ApiOperation({ summary: 'Readiness per enrolled framework and per section: score, counts per state, overdue, unowned, expiring evidence' })
  @ApiOkResponse({ type: ClientReadinessDto })
  get(@Param() p: ClientParams) {
    return this.service.forClient(p.clientId);
  }
}
