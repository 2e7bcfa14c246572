import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuditEventPageDto, AuditEventQueryDto, AuditVerificationDto } from 'src/audit/audit.dto';
import { AuditVerifyService } from 'src/audit/audit-verify.service';
import { AuditService } from 'src/audit/audit.service';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';

@ApiTags('audit')
@Controller('admin')
export class AuditAdminController {
  constructor(
    private readonly service: AuditService,
    private readonly verifier: AuditVerifyService,
  ) {}

  @Get('audit-events')
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'Instance-level audit trail (users, API tokens, first admin), newest first, filterable like the client one (admin)' })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Query() q: AuditEventQueryDto) {
    return this.service.list(null, q);
  }

  @Get('audit/verify')
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'Verify every audit chain: events checked, head, and the first broken link of each (admin)' })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify() {
    return this.verifier.verify();
  }
}
