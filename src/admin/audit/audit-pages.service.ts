import { Injectable } from '@nestjs/common';

import { field, FormBody, validateForm } from 'src/admin/http/forms';
import { page, UiResult } from 'src/admin/http/ui-result';
import { AuditEventQueryDto } from 'src/audit/audit.dto';
import { AuditVerifyService } from 'src/audit/audit-verify.service';
import { AuditService } from 'src/audit/audit.service';

const PAGE_SIZE = 50;

/** The instance's own audit trail (users, API tokens, first admin) for admins, with its chain head and verification. */
@Injectable()
export class AuditPagesService {
  constructor(
    private readonly audit: AuditService,
    private readonly verifier: AuditVerifyService,
  ) {}

  async list(query: FormBody): Promise<UiResult> {
    const parsed = await validateForm(AuditEventQueryDto, { entityType: field(query, 'entityType'), page: field(query, 'page'), pageSize: String(PAGE_SIZE) });
    const [list, head] = await Promise.all([this.audit.list(null, parsed.dto ?? { pageSize: PAGE_SIZE }), this.audit.chainHead(null)]);
    // Verification re-reads every event of every chain: on request, not on every page view.
    const verification = field(query, 'verify') === '1' ? await this.verifier.verify() : null;
    return page('audit.njk', {
      section: 'audit',
      list,
      head,
      verification,
      broken: verification?.chains.filter((c) => c.firstBreak) ?? [],
      entityType: parsed.dto?.entityType ?? '',
      filterError: parsed.errors ? Object.values(parsed.errors).join('; ') : null,
      pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
    });
  }
}
