import { ConflictException, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { VerifyReportDto } from 'src/evidence/evidence.dto';
import { EvidenceIntegrityService } from 'src/evidence/evidence-integrity.service';

@ApiTags('evidence')
@Controller('admin/evidence')
export class EvidenceAdminController {
  constructor(private readonly integrity: EvidenceIntegrityService) {}

  @Post('verify')
  @HttpCode(200)
  @Authenticated({ admin: true })
  @ApiOperation({ summary: 'Re-hash every stored evidence object and report missing or altered ones (admin)' })
  @ApiOkResponse({ type: VerifyReportDto })
  async verify() {
    const report = await this.integrity.verify();
    if (!report) throw new ConflictException('A verification is already running');
    return report;
  }
}
