import { Injectable } from '@nestjs/common';

import { FieldErrors, FormBody, field, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { page, redirect, UiResult } from 'src/admin/http/ui-result';
import { queryString } from 'src/admin/http/view-filters';
import { AuthContext } from 'src/auth/auth-context';
import { CreateUserDto, UsersQueryDto } from 'src/users/users.dto';
import { UsersService } from 'src/users/users.service';

const PAGE_SIZE = 100;

interface UsersOutcome {
  values?: Record<string, unknown>;
  errors?: FieldErrors | null;
  status?: number;
  notice?: string;
}

/** Instance users (admins only): list, create, deactivate and reactivate. */
@Injectable()
export class UserPagesService {
  constructor(private readonly users: UsersService) {}

  async list(query: FormBody, outcome: UsersOutcome = {}): Promise<UiResult> {
    const parsed = await validateForm(UsersQueryDto, { search: field(query, 'search'), page: field(query, 'page'), pageSize: String(PAGE_SIZE) });
    const list = await this.users.list(parsed.dto ?? { pageSize: PAGE_SIZE });
    return page(
      'users.njk',
      {
        section: 'users',
        list,
        search: parsed.dto?.search ?? '',
        searchError: parsed.errors ? Object.values(parsed.errors).join('; ') : null,
        pages: Math.max(1, Math.ceil(list.total / list.pageSize)),
        values: outcome.values ?? {},
        errors: outcome.errors ?? null,
        notice: outcome.notice,
      },
      outcome.status ?? 200,
    );
  }

  async create(auth: AuthContext, body: FormBody): Promise<UiResult> {
    const values = {
      email: field(body, 'email') ?? '',
      name: field(body, 'name') ?? '',
      password: typeof body.password === 'string' ? body.password : '',
      isAdmin: body.isAdmin === 'true',
      canCreateClients: body.canCreateClients === 'true',
    };
    const form = await validateForm(CreateUserDto, values);
    const shown = { ...values, password: '' };
    if (form.errors) return this.list({}, { values: shown, errors: form.errors, status: 400 });
    try {
      const user = await this.users.create(auth, form.dto);
      return this.list({}, { notice: `Created ${user.email}${user.isAdmin ? ' (admin)' : ''}. Share the password privately.` });
    } catch (e) {
      return this.list({}, { values: shown, errors: serviceErrors(e, 'email'), status: statusOf(e) });
    }
  }

  /** The right to create clients, given or taken back by an admin. Anything but `true` or `false` is a 400. */
  async setClientCreation(auth: AuthContext, userId: string, body: FormBody): Promise<UiResult> {
    const back = queryString({ search: field(body, 'search'), page: field(body, 'page') });
    const allow = field(body, 'allow');
    if (allow !== 'true' && allow !== 'false') return this.list({}, { errors: { _form: 'allow must be true or false' }, status: 400 });
    try {
      await this.users.update(auth, userId, { canCreateClients: allow === 'true' });
    } catch (e) {
      return this.list({}, { errors: serviceErrors(e), status: statusOf(e) });
    }
    return redirect(`/ui/users${back}`);
  }

  /** Deactivating ends every session and API token of the user at once (AuthService checks `active`). */
  async setActive(auth: AuthContext, userId: string, active: boolean, body: FormBody): Promise<UiResult> {
    const back = queryString({ search: field(body, 'search'), page: field(body, 'page') });
    try {
      await this.users.update(auth, userId, { active });
    } catch (e) {
      return this.list({}, { errors: serviceErrors(e), status: statusOf(e) });
    }
    return redirect(`/ui/users${back}`);
  }
}
