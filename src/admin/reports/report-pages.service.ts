import { Injectable } from '@nestjs/common';

import { capabilities } from 'src/admin/clients/client-context';
import { page, UiResult } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { ClientsService } from 'src/clients/clients.service';
import { EnrollmentsService } from 'src/controls/enrollments.service';

/** Links to the report downloads of the API (the session cookie authenticates them like any GET). */
@Injectable()
export class ReportPagesService {
  constructor(
    private readonly clients: ClientsService,
    private readonly enrollments: EnrollmentsService,
  ) {}

  async reports(auth: AuthContext, clientId: string): Promise<UiResult> {
    const [client, frameworks] = await Promise.all([this.clients.get(auth, clientId), this.enrollments.list(clientId)]);
    return page('reports.njk', { section: 'clients', client, can: capabilities(auth), frameworks, api: `/api/v1/clients/${clientId}/reports` });
  }
}
