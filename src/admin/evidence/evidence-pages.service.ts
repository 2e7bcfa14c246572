import { BadRequestException, Inject, Injectable } from '@nestjs/common';

import { capabilities } from 'src/admin/clients/client-context';
import { FormBody, field, fields, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { page, redirect, UiResult } from 'src/admin/http/ui-result';
import { queryString } from 'src/admin/http/view-filters';
import { AuthContext } from 'src/auth/auth-context';
import { ClientsService } from 'src/clients/clients.service';
import { ValidateUUID } from 'src/common/validation';
import type { AppConfig } from 'src/config/app-config';
import { APP_CONFIG } from 'src/config/config.module';
import { ControlsService } from 'src/controls/controls.service';
import { EvidenceQueryDto, LinksDto, ReviewDto, ReviewState, WithdrawDto } from 'src/evidence/evidence.dto';
import { EvidenceService } from 'src/evidence/evidence.service';

const PAGE_SIZE = '50';
const FILTER_KEYS = ['reviewState', 'search', 'includeWithdrawn', 'page'] as const;

class EvidenceIdForm {
  @ValidateUUID() evidenceId: string;
}

interface Outcome {
  notice?: string;
  error?: string;
  status?: number;
}

/**
 * The evidence library: upload (the browser posts the file straight to the API, see assets/app.js), review,
 * links to controls, withdrawal. Every change goes through EvidenceService.
 */
@Injectable()
export class EvidencePagesService {
  constructor(
    private readonly clients: ClientsService,
    private readonly controls: ControlsService,
    private readonly evidence: EvidenceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async library(auth: AuthContext, clientId: string, query: FormBody, outcome: Outcome = {}): Promise<UiResult> {
    const can = capabilities(auth);
    const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, field(query, k)]).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const parsed = await validateForm(EvidenceQueryDto, { ...filters, pageSize: PAGE_SIZE });
    const [client, list, controls] = await Promise.all([
      this.clients.get(auth, clientId),
      parsed.dto ? this.evidence.list(clientId, parsed.dto) : Promise.resolve(null),
      can.upload ? this.controls.list(clientId, { pageSize: 500 }) : Promise.resolve(null),
    ]);
    return page(
      'evidence.njk',
      {
        section: 'clients',
        client,
        can,
        filters,
        filterErrors: parsed.errors ?? null,
        list,
        pages: list ? Math.max(1, Math.ceil(list.total / list.pageSize)) : 1,
        controlGroups: controls ? this.groupByFramework(controls.items) : [],
        back: queryString(filters),
        reviewStates: Object.values(ReviewState),
        notice: outcome.notice,
        listError: outcome.error,
        maxUploadBytes: this.config.uploadMaxBytes,
      },
      outcome.status ?? (parsed.errors ? 400 : 200),
    );
  }

  /** The inline "link to controls" panel of one evidence: suggestions from the mappings, then any control. */
  async linkPanel(auth: AuthContext, clientId: string, evidenceId: string): Promise<UiResult> {
    const [evidence, controls] = await Promise.all([this.evidence.get(clientId, evidenceId), this.controls.list(clientId, { pageSize: 500 })]);
    const linked = new Set(evidence.links.map((l) => l.controlId));
    return page('partials/evidence-link.njk', {
      client: { id: clientId },
      can: capabilities(auth),
      e: evidence,
      controlGroups: this.groupByFramework(controls.items.filter((c) => !linked.has(c.id))),
    });
  }

  async link(auth: AuthContext, clientId: string, evidenceId: string, body: FormBody, htmx: boolean): Promise<UiResult> {
    return this.change(auth, clientId, body, htmx, async () => {
      const form = await validateForm(LinksDto, { controlIds: fields(body, 'controlIds') });
      if (form.errors) return 'Choose at least one control to link.';
      const e = await this.evidence.link(auth, clientId, evidenceId, form.dto.controlIds);
      return { notice: `“${e.title}” is linked to ${e.links.length} control${e.links.length === 1 ? '' : 's'}.` };
    });
  }

  async unlink(auth: AuthContext, clientId: string, evidenceId: string, body: FormBody, htmx: boolean): Promise<UiResult> {
    return this.change(auth, clientId, body, htmx, async () => {
      const form = await validateForm(LinksDto, { controlIds: fields(body, 'controlIds') });
      if (form.errors) return Object.values(form.errors).join('; ');
      const e = await this.evidence.unlink(auth, clientId, evidenceId, form.dto.controlIds);
      return { notice: `Unlinked from “${e.title}”.` };
    });
  }

  async review(auth: AuthContext, clientId: string, evidenceId: string, body: FormBody, htmx: boolean): Promise<UiResult> {
    return this.change(auth, clientId, body, htmx, async () => {
      const form = await validateForm(ReviewDto, { decision: field(body, 'decision') ?? '', comment: field(body, 'comment') });
      if (form.errors) return Object.values(form.errors).join('; ');
      const e = await this.evidence.review(auth, clientId, evidenceId, form.dto);
      return { notice: `“${e.title}” ${e.reviewState === ReviewState.Accepted ? 'accepted' : 'rejected'}.` };
    });
  }

  async withdraw(auth: AuthContext, clientId: string, evidenceId: string, body: FormBody, htmx: boolean): Promise<UiResult> {
    return this.change(auth, clientId, body, htmx, async () => {
      const form = await validateForm(WithdrawDto, { reason: field(body, 'reason') ?? '' });
      if (form.errors) return 'Say why the evidence no longer counts.';
      const e = await this.evidence.withdraw(auth, clientId, evidenceId, form.dto.reason);
      return { notice: `“${e.title}” withdrawn: it no longer counts for readiness.` };
    });
  }

  /** Links evidence to one control from the control's page. */
  async linkFromControl(auth: AuthContext, clientId: string, controlId: string, body: FormBody): Promise<UiResult> {
    const form = await validateForm(EvidenceIdForm, { evidenceId: field(body, 'evidenceId') ?? '' });
    if (form.errors) throw new BadRequestException(Object.values(form.errors).join('; '));
    await this.evidence.link(auth, clientId, form.dto.evidenceId, [controlId]);
    return redirect(`/ui/clients/${clientId}/controls/${controlId}?saved=1`);
  }

  async unlinkFromControl(auth: AuthContext, clientId: string, controlId: string, evidenceId: string): Promise<UiResult> {
    await this.evidence.unlink(auth, clientId, evidenceId, [controlId]);
    return redirect(`/ui/clients/${clientId}/controls/${controlId}?saved=1`);
  }

  /**
   * Runs one change and shows the library again: the list part for htmx (which swaps it in place), a redirect for a
   * plain form post. `run` returns a notice, or a message when the form was not valid.
   */
  private async change(auth: AuthContext, clientId: string, body: FormBody, htmx: boolean, run: () => Promise<{ notice: string } | string>): Promise<UiResult> {
    const query = Object.fromEntries(new URLSearchParams(field(body, 'back') ?? '').entries());
    let outcome: Outcome;
    try {
      const r = await run();
      outcome = typeof r === 'string' ? { error: r, status: 400 } : r;
    } catch (e) {
      outcome = { error: Object.values(serviceErrors(e)).join('; '), status: statusOf(e) };
    }
    if (!htmx && !outcome.error) return redirect(`/ui/clients/${clientId}/evidence${queryString(query)}`);
    return this.library(auth, clientId, query, outcome);
  }

  private groupByFramework<T extends { framework: string }>(items: T[]) {
    const groups = new Map<string, T[]>();
    for (const c of items) groups.set(c.framework, [...(groups.get(c.framework) ?? []), c]);
    return [...groups.entries()].map(([framework, controls]) => ({ framework, controls }));
  }
}
