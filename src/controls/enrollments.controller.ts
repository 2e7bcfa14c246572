import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { EnrollDto, EnrollmentDto, EnrollmentParams } from 'src/controls/controls.dto';
import { EnrollmentsService } from 'src/controls/enrollments.service';

@ApiTags('controls')
@Controller('clients/:clientId/frameworks')
export class EnrollmentsController {
  constructor(private readonly service: EnrollmentsService) {}

  @Get()
  @Authenticated({ permission: Permission.ClientRead })
  @ApiOperation({ summary: 'Frameworks the client is enrolled in' })
  @ApiOkResponse({ type: [EnrollmentDto] })
  list(@Param() p: ClientParams) {
    return this.service.list(p.clientId);
  }

  @Post()
  @Authenticated({ permission: Permission.FrameworkEnroll })
  @ApiOperation({ summary: "Enroll the client in a framework: one control per requirement of the framework's current version" })
  @ApiCreatedResponse({ type: EnrollmentDto })
  enroll(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @Body() dto: EnrollDto) {
    return this.service.enroll(auth, p.clientId, dto.framework);
  }

  @Delete(':framework')
  @HttpCode(204)
  @Authenticated({ permission: Permission.FrameworkEnroll })
  @ApiOperation({ summary: 'Unenroll; controls and their history are kept and return on re-enrollment' })
  @ApiNoContentResponse()
  unenroll(@CurrentUser() auth: AuthContext, @Param() p: EnrollmentParams) {
    return this.service.unenroll(auth, p.clientId, p.framework);
  }
}
