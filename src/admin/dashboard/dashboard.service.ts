import { Injectable } from '@nestjs/common';

import { FormBody, field, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { page, redirect, UiResult } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { ClientsQueryDto, CreateClientDto } from 'src/clients/clients.dto';
import { ClientsService } from 'src/clients/clients.service';

const PAGE_SIZE = 50;

/** The dashboard: the caller's clients with readiness per enrolled framework, and a form to open a new client. */
@Injectable()
export class DashboardService {
  constructor(private readonly clients: ClientsService) {}

  async dashboard(auth: AuthContext, query: FormBody, form: { values?: object; errors?: object; status?: number } = {}): Promise<UiResult> {
    const parsed = await validateForm(ClientsQueryDto, { search: field(query, 'search'), page: field(query, 'page'), pageSize: String(PAGE_SIZE) });
    const q = parsed.dto ?? { pageSize: PAGE_SIZE };
    const list = await this.clients.list(auth, { ...q, include: 'readiness' });
    return page(
      'dashboard.njk',
      {
        section: 'clients',
        list,
        search: parsed.dto?.search ?? '',
        searchError: parsed.errors ? Object.values(parsed.errors).join('; ') : null,
        pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
        values: form.values ?? {},
        errors: form.errors ?? null,
        mayCreateClients: auth.mayCreateClients,
        openCreate: Boolean(form.errors),
      },
      form.status ?? 200,
    );
  }

  async create(auth: AuthContext, body: FormBody): Promise<UiResult> {
    const values = { name: field(body, 'name'), description: field(body, 'description') };
    const form = await validateForm(CreateClientDto, values);
    if (form.errors) return this.dashboard(auth, {}, { values, errors: form.errors, status: 400 });
    try {
      const client = await this.clients.create(auth, form.dto);
      return redirect(`/ui/clients/${client.id}`);
    } catch (e) {
      return this.dashboard(auth, {}, { values, errors: serviceErrors(e, 'name'), status: statusOf(e) });
    }
  }
}
