import { Injectable } from '@nestjs/common';

import { capabilities } from 'src/admin/clients/client-context';
import { FieldErrors, FormBody, field, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { page, redirect, UiResult } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { type FrameworkKey } from 'src/catalogs/catalog-files';
import { CatalogsService } from 'src/catalogs/catalogs.service';
import { ClientsService } from 'src/clients/clients.service';
import { EnrollDto } from 'src/controls/controls.dto';
import { EnrollmentsService } from 'src/controls/enrollments.service';
import { ReadinessService } from 'src/readiness/readiness.service';

/** The client overview: enrolled frameworks with SPEC 3 readiness per framework and per section; enrollment. */
@Injectable()
export class ClientPagesService {
  constructor(
    private readonly clients: ClientsService,
    private readonly enrollments: EnrollmentsService,
    private readonly readiness: ReadinessService,
    private readonly catalogs: CatalogsService,
  ) {}

  async overview(auth: AuthContext, clientId: string, errors: FieldErrors | null = null, status = 200): Promise<UiResult> {
    const [client, enrolled, readiness, frameworks] = await Promise.all([
      this.clients.get(auth, clientId),
      this.enrollments.list(clientId),
      this.readiness.forClient(clientId),
      this.catalogs.listFrameworks(),
    ]);
    const byKey = new Map(enrolled.map((e) => [e.framework, e]));
    return page(
      'client.njk',
      {
        section: 'clients',
        client,
        can: capabilities(auth),
        asOf: readiness.asOf,
        frameworks: readiness.frameworks.map((f) => ({ ...f, enrolledAt: byKey.get(f.framework)?.enrolledAt, controlCount: byKey.get(f.framework)?.controlCount ?? 0 })),
        available: frameworks.filter((f) => !byKey.has(f.key)),
        errors,
      },
      status,
    );
  }

  async enroll(auth: AuthContext, clientId: string, body: FormBody): Promise<UiResult> {
    const form = await validateForm(EnrollDto, { framework: field(body, 'framework') ?? '' });
    if (form.errors) return this.overview(auth, clientId, form.errors, 400);
    try {
      await this.enrollments.enroll(auth, clientId, form.dto.framework);
    } catch (e) {
      return this.overview(auth, clientId, serviceErrors(e, 'framework'), statusOf(e));
    }
    return redirect(`/ui/clients/${clientId}`);
  }

  async unenroll(auth: AuthContext, clientId: string, framework: FrameworkKey): Promise<UiResult> {
    try {
      await this.enrollments.unenroll(auth, clientId, framework);
    } catch (e) {
      return this.overview(auth, clientId, serviceErrors(e), statusOf(e));
    }
    return redirect(`/ui/clients/${clientId}`);
  }
}
