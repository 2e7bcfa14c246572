import { Get, Param, Post } from '@nestjs/common';

import { EvidencePagesService } from 'src/admin/evidence/evidence-pages.service';
import { type FormBody, FormFields, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { Htmx } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';
import { CurrentUser } from 'src/auth/decorators/current-user.decorator';
import { Permission } from 'src/auth/permission';
import { ClientParams } from 'src/common/client-params.dto';
import { ValidateUUID } from 'src/common/validation';
import { ControlParams } from 'src/controls/controls.dto';
import { EvidenceParams } from 'src/evidence/evidence.dto';

export class ControlEvidenceParams extends ControlParams {
  @ValidateUUID() evidenceId: string;
}

@UiController('ui/clients/:clientId')
export class EvidencePagesController {
  constructor(private readonly service: EvidencePagesService) {}

  @Get('evidence')
  @Authenticated({ permission: Permission.EvidenceRead })
  library(@CurrentUser() auth: AuthContext, @Param() p: ClientParams, @FormQuery() q: FormBody) {
    return this.service.library(auth, p.clientId, q);
  }

  @Get('evidence/:evidenceId/link')
  @Authenticated({ permission: Permission.EvidenceLink })
  linkPanel(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams) {
    return this.service.linkPanel(auth, p.clientId, p.evidenceId);
  }

  @Post('evidence/:evidenceId/links')
  @Authenticated({ permission: Permission.EvidenceLink })
  link(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @FormFields() body: FormBody, @Htmx() htmx: boolean) {
    return this.service.link(auth, p.clientId, p.evidenceId, body, htmx);
  }

  @Post('evidence/:evidenceId/unlink')
  @Authenticated({ permission: Permission.EvidenceLink })
  unlink(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @FormFields() body: FormBody, @Htmx() htmx: boolean) {
    return this.service.unlink(auth, p.clientId, p.evidenceId, body, htmx);
  }

  @Post('evidence/:evidenceId/review')
  @Authenticated({ permission: Permission.EvidenceReview })
  review(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @FormFields() body: FormBody, @Htmx() htmx: boolean) {
    return this.service.review(auth, p.clientId, p.evidenceId, body, htmx);
  }

  @Post('evidence/:evidenceId/withdraw')
  @Authenticated({ permission: Permission.EvidenceWithdraw })
  withdraw(@CurrentUser() auth: AuthContext, @Param() p: EvidenceParams, @FormFields() body: FormBody, @Htmx() htmx: boolean) {
    return this.service.withdraw(auth, p.clientId, p.evidenceId, body, htmx);
  }

  @Post('controls/:controlId/evidence')
  @Authenticated({ permission: Permission.EvidenceLink })
  linkFromControl(@CurrentUser() auth: AuthContext, @Param() p: ControlParams, @FormFields() body: FormBody) {
    return this.service.linkFromControl(auth, p.clientId, p.controlId, body);
  }

  @Post('controls/:controlId/evidence/:evidenceId/unlink')
  @Authenticated({ permission: Permission.EvidenceLink })
  unlinkFromControl(@CurrentUser() auth: AuthContext, @Param() p: ControlEvidenceParams) {
    return this.service.unlinkFromControl(auth, p.clientId, p.controlId, p.evidenceId);
  }
}
