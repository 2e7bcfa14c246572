import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { sendEvidence } from 'src/evidence/download';
import {
  EvidenceDetailDto,
  EvidencePageDto,
  EvidenceParams,
  EvidenceQueryDto,
  LinksDto,
  ReviewDto,
  UploadEvidenceBodyDoc,
  WithdrawDto,
} from 'src/evidence/evidence.dto';
import { EvidenceService } from 'src/evidence/evidence.service';

@ApiTags('evidence')
@Controller('clients/:clientId/evidence')
export class EvidenceController {
  constructor(private readonly service: EvidenceService) {}

  @Post()
  @Authenticated({ permission: Permission.EvidenceUpload })
  @ApiOperation({ summary: 'Upload a file (streamed, hashed, type sniffed from content) and optionally link it to controls' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadEvidenceBodyDoc })
  @ApiCreatedResponse({ type: EvidenceDetailDto })
  upload(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Req() req: Request) {
    return this.service.upload(auth, p.clientId, req);
  }

  @Get()
  @Authenticated({ permission: Permission.EvidenceRead })
  @ApiOperation({ summary: "The client's evidence: filter by control, review state, expiry, uploader; paginated" })
  @ApiOkResponse({ type: EvidencePageDto })
  list(@Param() p: ClientParams, @Query() q: EvidenceQueryDto) {
    return this.service.list(p.clientId, q);
  }

  @Get(':evidenceId')
  @Authenticated({ permission: Permission.EvidenceRead })
  @ApiOperation({ summary: "One evidence record with its links and suggested controls in the client's other frameworks" })
  @ApiOkResponse({ type: EvidenceDetailDto })
  get(@Param() p: EvidenceParams) {
    return this.service.get(p.clientId, p.evidenceId);
  }

  @Get(':evidenceId/content')
  @Authenticated({ permission: Permission.EvidenceRead })
  @ApiOperation({ summary: 'Download the bytes (ETag = SHA-256, byte ranges supported)' })
  @ApiProduces('application/octet-stream')
  async content(@Param() p: EvidenceParams, @Req() req: Request, @Res() res: Response) {
    const { row, open } = await this.service.content(p.clientId, p.evidenceId);
    await sendEvidence(req, res, row, open);
  }

  @Post(':evidenceId/links')
  @HttpCode(200)
  @Authenticated({ permission: Permission.EvidenceLink })
  @ApiOperation({ summary: 'Link to controls of the same client (including suggested ones)' })
  @ApiOkResponse({ type: EvidenceDetailDto })
  link(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @Body() dto: LinksDto) {
    return this.service.link(auth, p.clientId, p.evidenceId, dto.controlIds);
  }

  @Delete(':evidenceId/links')
  @Authenticated({ permission: Permission.EvidenceLink })
  @ApiOperation({ summary: 'Remove links to controls' })
  @ApiOkResponse({ type: EvidenceDetailDto })
  unlink(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @Body() dto: LinksDto) {
    return this.service.unlink(auth, p.clientId, p.evidenceId, dto.controlIds);
  }

  @Post(':evidenceId/review')
  @HttpCode(200)
  @Authenticated({ permission: Permission.EvidenceReview })
  @ApiOperation({ summary: 'Accept or reject the evidence, with a comment (consultants)' })
  @ApiOkResponse({ type: EvidenceDetailDto })
  review(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @Body() dto: ReviewDto) {
    return this.service.review(auth, p.clientId, p.evidenceId, dto);
  }

  @Post(':evidenceId/withdraw')
  @HttpCode(200)
  @Authenticated({ permission: Permission.EvidenceWithdraw })
  @ApiOperation({ summary: 'Withdraw the evidence: it stops counting and stays in the record (consultants)' })
  @ApiOkResponse({ type: EvidenceDetailDto })
  withdraw(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @Body() dto: WithdrawDto) {
    return this.service.withdraw(auth, p.clientId, p.evidenceId, dto.reason);
  }
}
