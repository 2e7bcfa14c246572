import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { sameContent } from 'src/audit/audit-chain';
import { AuditService } from 'src/audit/audit.service';
import { AuthContext } from 'src/auth/auth-context';
import { CLIENT_CREATION_MESSAGE } from 'src/auth/auth.exceptions';
import { Role } from 'src/auth/permission';
import {
  AddMemberDto,
  clientSnapshot,
  ClientsQueryDto,
  CreateClientDto,
  toClientResponse,
  toClientRowResponse,
  toMemberResponse,
  UpdateClientDto,
} from 'src/clients/clients.dto';
import { ClientsRepository } from 'src/clients/clients.repository';
import { findOrFail } from 'src/common/errors';
import { pageOf } from 'src/common/pagination.dto';
import { generatePassword } from 'src/users/password';
import { ReadinessService } from 'src/readiness/readiness.service';
import { UsersService } from 'src/users/users.service';

@Injectable()
export class ClientsService {
  constructor(
    private readonly repo: ClientsRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(auth: AuthContext, q: ClientsQueryDto) {
    const { page, pageSize, offset } = pageOf(q);
    const [rows, total] = await this.repo.findVisible(auth.userId, auth.isAdmin, offset, pageSize, q.search);
    const items = rows.map(toClientRowResponse);
    if (q.include === 'readiness') {
      const readiness = await this.readiness.summaries(items.map((c) => c.id));
      return { items: items.map((c) => ({ ...c, readiness: readiness.get(c.id) ?? [] })), total, page, pageSize };
    }
    return { items, total, page, pageSize };
  }

  /**
   * Admins and users an admin allowed may open a client; its creator becomes its first consultant. Names need not be
   * unique: a refusal for a taken name would reveal another consultant's client.
   */
  async create(auth: AuthContext, dto: CreateClientDto) {
    if (!auth.mayCreateClients) throw new ForbiddenException(CLIENT_CREATION_MESSAGE);
    return this.dataSource.transaction(async (tx) => {
      const client = await this.repo.insert({ name: dto.name, description: dto.description ?? null }, tx);
      await this.repo.saveMember({ clientId: client.id, userId: auth.userId, role: Role.Consultant }, tx);
      await this.audit.record(
        tx,
        { actorUserId: auth.userId, clientId: client.id, action: 'client.create', entityType: 'client', entityId: client.id, after: clientSnapshot(client) },
        { actorUserId: auth.userId, clientId: client.id, action: 'member.add', entityType: 'client_member', entityId: auth.userId, after: { role: Role.Consultant } },
      );
      return toClientResponse(client, Role.Consultant);
    });
  }

  async get(auth: AuthContext, clientId: string) {
    return toClientResponse(await findOrFail(this.repo.findById(clientId), 'Client'), auth.role);
  }

  async update(auth: AuthContext, clientId: string, dto: UpdateClientDto) {
    return this.dataSource.transaction(async (tx) => {
      const client = await findOrFail(this.repo.findById(clientId, tx), 'Client');
      const before = clientSnapshot(client);
      if (dto.name !== undefined) client.name = dto.name;
      if (dto.description !== undefined) client.description = dto.description;
      // Nothing changed: no write, no event.
      if (sameContent(before, clientSnapshot(client))) return toClientResponse(client, auth.role);
      const saved = await this.repo.save(client, tx);
      await this.audit.record(tx, { actorUserId: auth.userId, clientId, action: 'client.update', entityType: 'client', entityId: clientId, before, after: clientSnapshot(saved) });
      return toClientResponse(saved, auth.role);
    });
  }

  async listMembers(clientId: string) {
    return (await this.repo.findMembers(clientId)).map(toMemberResponse);
  }

  /**
   * Adds a user to the client by email, or changes the role of one already in it. An email nobody uses yet creates
   * the user with a one-time password, returned once in the response.
   */
  async addMember(auth: AuthContext, clientId: string, dto: AddMemberDto) {
    return this.dataSource.transaction(async (tx) => {
      let temporaryPassword: string | undefined;
      let user = await this.users.findByEmail(dto.email, tx);
      if (!user) {
        temporaryPassword = generatePassword();
        user = await this.users.createInTx(tx, auth, { email: dto.email, name: dto.name ?? dto.email.split('@')[0], password: temporaryPassword, passwordChangeRequired: true });
      }
      const existing = await this.repo.findMember(clientId, user.id, tx);
      if (existing?.role === dto.role) throw new ConflictException(`${dto.email} is already a ${dto.role} of this client`);
      if (existing?.role === Role.Consultant && (await this.repo.countConsultants(clientId, tx)) === 1) {
        throw new ConflictException('A client keeps at least one consultant');
      }
      await this.repo.saveMember({ clientId, userId: user.id, role: dto.role }, tx);
      await this.audit.record(tx, {
        actorUserId: auth.userId,
        clientId,
        action: existing ? 'member.change_role' : 'member.add',
        entityType: 'client_member',
        entityId: user.id,
        before: existing ? { role: existing.role } : null,
        after: { role: dto.role, email: user.email },
      });
      const member = (await this.repo.findMembers(clientId, tx)).find((m) => m.userId === user.id);
      return { ...toMemberResponse(member ?? { userId: user.id, email: user.email, name: user.name, active: user.active, role: dto.role, createdAt: new Date() }), ...(temporaryPassword ? { temporaryPassword } : {}) };
    });
  }

  async removeMember(auth: AuthContext, clientId: string, userId: string) {
    await this.dataSource.transaction(async (tx) => {
      const member = await this.repo.findMember(clientId, userId, tx);
      if (!member) throw new NotFoundException('Member not found');
      if (member.role === Role.Consultant && (await this.repo.countConsultants(clientId, tx)) === 1) {
        throw new ConflictException('A client keeps at least one consultant');
      }
      await this.repo.deleteMember(clientId, userId, tx);
      await this.audit.record(tx, { actorUserId: auth.userId, clientId, action: 'member.remove', entityType: 'client_member', entityId: userId, before: { role: member.role } });
    });
  }
}
