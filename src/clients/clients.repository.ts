import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Role } from 'src/auth/permission';
import { ClientEntity, ClientMemberEntity } from 'src/clients/client.entity';
import { containsPattern } from 'src/common/errors';

export interface ClientRow extends ClientEntity {
  role: Role | null;
}

export interface MemberRow {
  userId: string;
  email: string;
  name: string;
  active: boolean;
  role: Role;
  createdAt: Date;
}

@Injectable()
export class ClientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(tx?: EntityManager) {
    return tx ?? this.dataSource.manager;
  }

  /** Clients the user may see (all of them for admins), with the user's role in each. */
  async findVisible(userId: string, isAdmin: boolean, offset: number, limit: number, search?: string): Promise<[ClientRow[], number]> {
    const params: unknown[] = [userId];
    const where: string[] = [isAdmin ? 'true' : 'm.user_id IS NOT NULL'];
    if (search) {
      params.push(containsPattern(search));
      where.push(`c.name ILIKE $${params.length}`);
    }
    const from = `FROM client c LEFT JOIN client_member m ON m.client_id = c.id AND m.user_id = $1 WHERE ${where.join(' AND ')}`;
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT c.id, c.name, c.description, c.created_at AS "createdAt", c.updated_at AS "updatedAt", m.role
           ${from} ORDER BY lower(c.name), c.id OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
        [...params, offset, limit],
      ),
      this.dataSource.query(`SELECT count(*)::int AS n ${from}`, params),
    ]);
    return [rows as ClientRow[], (count as { n: number }[])[0].n];
  }

  findById(id: string, tx?: EntityManager) {
    return this.m(tx).findOneBy(ClientEntity, { id });
  }

  insert(client: Pick<ClientEntity, 'name' | 'description'>, tx: EntityManager) {
    return tx.save(tx.create(ClientEntity, client));
  }

  save(client: ClientEntity, tx: EntityManager) {
    return tx.save(client);
  }

  findMembers(clientId: string, tx?: EntityManager): Promise<MemberRow[]> {
    return this.m(tx).query(
      `SELECT u.id AS "userId", u.email, u.name, u.active, m.role, m.created_at AS "createdAt"
         FROM client_member m JOIN app_user u ON u.id = m.user_id
        WHERE m.client_id = $1 ORDER BY m.role, u.email`,
      [clientId],
    );
  }

  findMember(clientId: string, userId: string, tx?: EntityManager) {
    return this.m(tx).findOneBy(ClientMemberEntity, { clientId, userId });
  }

  countConsultants(clientId: string, tx: EntityManager) {
    return tx.countBy(ClientMemberEntity, { clientId, role: Role.Consultant });
  }

  saveMember(member: Pick<ClientMemberEntity, 'clientId' | 'userId' | 'role'>, tx: EntityManager) {
    return tx.save(tx.create(ClientMemberEntity, member));
  }

  async deleteMember(clientId: string, userId: string, tx: EntityManager): Promise<void> {
    await tx.delete(ClientMemberEntity, { clientId, userId });
  }
}
