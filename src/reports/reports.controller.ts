import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { GapReportDto, GapReportQueryDto } from 'src/reports/reports.dto';
import { ReportsService } from 'src/reports/reports.service';

const BINARY = { schema: { type: 'string', format: 'binary' } } as const;

@ApiTags('reports')
@Controller('clients/:clientId/reports')
export class ReportsController {
  constructor(private readonly service: ReportsService) {}

  @Get('gap-analysis.pdf')
  @Authenticated({ permission: Permission.ReportRead })
  @ApiOperation({ summary: 'Gap-analysis PDF of one enrolled framework, or of all when `framework` is omitted (streamed)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse(BINARY)
  pdf(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Query() q: GapReportQueryDto) {
    return this.service.gapAnalysisPdf(auth, p.clientId, q);
  }

  @Get('gap-analysis.json')
  @Authenticated({ permission: Permission.ReportRead })
  @ApiOperation({ summary: 'The data of the gap-analysis PDF: readiness per framework and section, every control, risks, remediation, evidence index' })
  @ApiOkResponse({ type: GapReportDto })
  json(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Query() q: GapReportQueryDto) {
    return this.service.gapAnalysisJson(auth, p.clientId, q);
  }

  @Get('gap-analysis.csv')
  @Authenticated({ permission: Permission.ReportRead })
  @ApiOperation({ summary: 'One CSV row per control of the gap analysis (UTF-8 with BOM)' })
  @ApiProduces('text/csv')
  @ApiOkResponse(BINARY)
  csv(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Query() q: GapReportQueryDto) {
    return this.service.gapAnalysisCsv(auth, p.clientId, q);
  }

  @Get('evidence-package.zip')
  @Authenticated({ permission: Permission.ReportRead })
  @ApiOperation({ summary: "The auditor's package: the PDF, every current linked evidence file under <framework>/<ref>/, manifest.json and manifest.csv (streamed)" })
  @ApiProduces('application/zip')
  @ApiOkResponse(BINARY)
  evidencePackage(@CurrentUser() auth: AuthContext, @Param() p: ClientParams) {
    return this.service.evidencePackage(auth, p.clientId);
  }
}
