import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuditEventPageDto, AuditEventQueryDto } from 'src/audit/audit.dto';
import { AuditService } from 'src/audit/audit.service';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';

@ApiTags('audit')
@Controller('clients/:clientId/audit-events')
export class AuditController {
  constructor(private readonly service: AuditService) {}

  @Get()
  @Authenticated({ permission: Permission.AuditRead })
  @ApiOperation({ summary: "The client's audit trail, newest first, filterable by entity, actor and time" })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Param() p: ClientParams, @Query() q: AuditEventQueryDto) {
    return this.service.list(p.clientId, q);
  }
}
