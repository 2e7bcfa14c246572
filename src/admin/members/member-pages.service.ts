import { Injectable } from '@nestjs/common';

import { capabilities } from 'src/admin/clients/client-context';
import { FieldErrors, FormBody, field, serviceErrors, statusOf, validateForm } from 'src/admin/http/forms';
import { page, redirect, UiResult } from 'src/admin/http/ui-result';
import { AuthContext } from 'src/auth/auth-context';
import { Role } from 'src/auth/permission';
import { AddMemberDto } from 'src/clients/clients.dto';
import { ClientsService } from 'src/clients/clients.service';

interface MembersOutcome {
  values?: Record<string, unknown>;
  errors?: FieldErrors | null;
  status?: number;
  notice?: string;
  temporaryPassword?: { email: string; password: string };
}

/** Who works on the client, in which role; consultants add people by email and remove them. */
@Injectable()
export class MemberPagesService {
  constructor(private readonly clients: ClientsService) {}

  async members(auth: AuthContext, clientId: string, outcome: MembersOutcome = {}): Promise<UiResult> {
    const [client, members] = await Promise.all([this.clients.get(auth, clientId), this.clients.listMembers(clientId)]);
    return page(
      'members.njk',
      {
        section: 'clients',
        client,
        can: capabilities(auth),
        members,
        roles: Object.values(Role),
        values: outcome.values ?? { role: Role.Member },
        errors: outcome.errors ?? null,
        notice: outcome.notice,
        temporaryPassword: outcome.temporaryPassword,
      },
      outcome.status ?? 200,
    );
  }

  /**
   * Not redirected after success: a user created by this call has a temporary password that is shown once, in this
   * response, and stored nowhere in clear.
   */
  async add(auth: AuthContext, clientId: string, body: FormBody): Promise<UiResult> {
    const values = { email: field(body, 'email') ?? '', role: field(body, 'role') ?? '', name: field(body, 'name') };
    const form = await validateForm(AddMemberDto, values);
    if (form.errors) return this.members(auth, clientId, { values, errors: form.errors, status: 400 });
    try {
      const added = await this.clients.addMember(auth, clientId, form.dto);
      return this.members(auth, clientId, {
        notice: `${added.email} now has the ${added.role} role in this client.`,
        temporaryPassword: added.temporaryPassword ? { email: added.email, password: added.temporaryPassword } : undefined,
      });
    } catch (e) {
      return this.members(auth, clientId, { values, errors: serviceErrors(e, 'email'), status: statusOf(e) });
    }
  }

  async remove(auth: AuthContext, clientId: string, userId: string): Promise<UiResult> {
    try {
      await this.clients.removeMember(auth, clientId, userId);
    } catch (e) {
      return this.members(auth, clientId, { errors: serviceErrors(e), status: statusOf(e) });
    }
    return redirect(`/ui/clients/${clientId}/members`);
  }
}
