import { Injectable } from '@nestjs/common';

import { capabilities } from 'src/admin/clients/client-context';
import { controlChanges, fieldOfMessage, matrixFilters, toControlsQuery } from 'src/admin/controls/control-form';
import { describeHistory } from 'src/admin/controls/history';
import { FieldErrors, FormBody, field, fields, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { page, redirect, UiResult } from 'src/admin/http/ui-result';
import { queryString } from 'src/admin/http/view-filters';
import { AuthContext } from 'src/auth/auth-context';
import { Role } from 'src/auth/permission';
import { ClientsService } from 'src/clients/clients.service';
import { BulkControlsDto, ControlsQueryDto, ControlStatus, ReadinessState, UpdateControlDto } from 'src/controls/controls.dto';
import { ControlsService } from 'src/controls/controls.service';
import { EvidenceService } from 'src/evidence/evidence.service';
import { ReadinessService } from 'src/readiness/readiness.service';

const STATUSES = Object.values(ControlStatus);
const STATES = Object.values(ReadinessState);

/** The control matrix (filters, inline edit, bulk changes) and the page of one control. */
@Injectable()
export class ControlPagesService {
  constructor(
    private readonly clients: ClientsService,
    private readonly controls: ControlsService,
    private readonly readiness: ReadinessService,
    private readonly evidence: EvidenceService,
  ) {}

  async matrix(auth: AuthContext, clientId: string, query: FormBody, outcome: { notice?: string; error?: string; status?: number } = {}): Promise<UiResult> {
    const filters = matrixFilters(query);
    const parsed = await validateForm(ControlsQueryDto, toControlsQuery(filters));
    const [client, members, readiness, list] = await Promise.all([
      this.clients.get(auth, clientId),
      this.clients.listMembers(clientId),
      this.readiness.forClient(clientId),
      parsed.dto ? this.controls.list(clientId, parsed.dto) : Promise.resolve(null),
    ]);
    const pages = list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1;
    return page(
      'controls.njk',
      {
        section: 'clients',
        client,
        can: capabilities(auth),
        filters,
        filterErrors: parsed.errors ?? null,
        filtered: Object.keys(filters).some((k) => !['sort', 'order', 'page', 'pageSize'].includes(k)),
        list,
        pages,
        frameworks: readiness.frameworks,
        owners: this.assignable(members),
        statuses: STATUSES,
        states: STATES,
        back: queryString({ ...filters }),
        notice: outcome.notice,
        matrixError: outcome.error,
      },
      outcome.status ?? (parsed.errors ? 400 : 200),
    );
  }

  /** One matrix row, as displayed (also what Cancel puts back). */
  async row(auth: AuthContext, clientId: string, controlId: string): Promise<UiResult> {
    const control = await this.controls.get(clientId, controlId);
    return page('partials/control-row.njk', { client: { id: clientId }, can: capabilities(auth), row: control, focusEdit: true });
  }

  /** One matrix row as an edit form. */
  async editRow(auth: AuthContext, clientId: string, controlId: string, values?: Record<string, unknown>, errors: FieldErrors | null = null, status = 200): Promise<UiResult> {
    const [control, members] = await Promise.all([this.controls.get(clientId, controlId), this.clients.listMembers(clientId)]);
    return page(
      'partials/control-edit-row.njk',
      { client: { id: clientId }, can: capabilities(auth), row: { ...control, ...values }, owners: this.assignable(members), statuses: STATUSES, errors },
      status,
    );
  }

  async update(auth: AuthContext, clientId: string, controlId: string, body: FormBody, htmx: boolean): Promise<UiResult> {
    const inRow = field(body, 'view') === 'row' && htmx;
    const changes = controlChanges(body);
    const form = await validateForm(UpdateControlDto, changes);
    let errors = form.errors ?? null;
    let status = 400;
    if (form.dto) {
      try {
        await this.controls.update(auth, clientId, controlId, form.dto);
      } catch (e) {
        errors = serviceErrors(e, fieldOfMessage);
        status = statusOf(e);
      }
    }
    const submitted = { ...changes, justification: field(body, 'justification') ?? null };
    if (inRow) return errors ? this.editRow(auth, clientId, controlId, submitted, errors, status) : this.row(auth, clientId, controlId);
    if (errors) return this.controlPage(auth, clientId, controlId, { values: submitted, errors, status });
    return redirect(`/ui/clients/${clientId}/controls/${controlId}?saved=1`);
  }

  /** Owner, due date and/or status for the selected controls, all or nothing (ControlsService.bulk). */
  async bulk(auth: AuthContext, clientId: string, body: FormBody, htmx: boolean): Promise<UiResult> {
    const back = new URLSearchParams(field(body, 'back') ?? '');
    const query = Object.fromEntries(back.entries());
    const ids = fields(body, 'ids');
    const owner = field(body, 'ownerId');
    const set = Object.fromEntries(
      Object.entries({ ownerId: owner === 'none' ? null : owner, dueDate: field(body, 'dueDate'), status: field(body, 'status') }).filter(([, v]) => v !== undefined),
    );
    let error: string | undefined;
    let notice: string | undefined;
    let status = 200;
    if (ids.length === 0) error = 'Select at least one control first.';
    else if (Object.keys(set).length === 0) error = 'Choose an owner, a due date or a status to apply.';
    else {
      const form = await validateForm(BulkControlsDto, { ids, set });
      if (form.errors) error = Object.values(form.errors).join('; ');
      else {
        try {
          const r = await this.controls.bulk(auth, clientId, form.dto);
          notice = `Updated ${r.changed} of ${r.matched} selected control${r.matched === 1 ? '' : 's'}.`;
        } catch (e) {
          error = Object.values(serviceErrors(e)).join('; ');
          status = statusOf(e);
        }
      }
    }
    if (error && status === 200) status = 400;
    if (!htmx && !error) return redirect(`/ui/clients/${clientId}/controls${queryString(query)}`);
    return this.matrix(auth, clientId, query, { notice, error, status });
  }

  async controlPage(auth: AuthContext, clientId: string, controlId: string, form: { values?: Record<string, unknown>; errors?: FieldErrors; status?: number; saved?: boolean } = {}): Promise<UiResult> {
    const can = capabilities(auth);
    const [client, control, members] = await Promise.all([this.clients.get(auth, clientId), this.controls.get(clientId, controlId), this.clients.listMembers(clientId)]);
    const linked = new Set((control.evidence as { id: string }[]).map((e) => e.id));
    const linkable = can.link ? (await this.evidence.list(clientId, { pageSize: 200 })).items.filter((e) => !linked.has(e.id)) : [];
    return page(
      'control.njk',
      {
        section: 'clients',
        client,
        can,
        control,
        values: { ...control, ...form.values },
        errors: form.errors ?? null,
        notice: form.saved ? 'Saved.' : undefined,
        owners: this.assignable(members),
        statuses: STATUSES,
        history: describeHistory(control.history as never[], members),
        linkable,
      },
      form.status ?? 200,
    );
  }

  /** People a control may be assigned to: the client's active consultants and members (ControlsService checks it too). */
  private assignable(members: { userId: string; name: string; email: string; role: Role; active: boolean }[]) {
    return members.filter((m) => m.active && (m.role === Role.Consultant || m.role === Role.Member));
  }
}

