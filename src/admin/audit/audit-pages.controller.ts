import { Get } from '@nestjs/common';

import { AuditPagesService } from 'src/admin/audit/audit-pages.service';
import { type FormBody, FormQuery } from 'src/admin/http/forms';
import { UiController } from 'src/admin/http/ui-controller.decorator';
import { Authenticated } from 'src/auth/decorators/authenticated.decorator';

@UiController('ui/audit')
export class AuditPagesController {
  constructor(private readonly service: AuditPagesService) {}

  @Get()
  @Authenticated({ admin: true })
  list(@FormQuery() q: FormBody) {
    return this.service.list(q);
  }
}
