import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { sameContent } from 'src/audit/audit-chain';
import { AuditService } from 'src/audit/audit.service';
import { AuthContext } from 'src/auth/auth-context';
import { findOrFail } from 'src/common/errors';
import { pageOf } from 'src/common/pagination.dto';
import { hashPassword } from 'src/users/password';
import { UserEntity } from 'src/users/user.entity';
import { CreateUserDto, toUserResponse, UpdateUserDto, UsersQueryDto, userSnapshot } from 'src/users/users.dto';
import { UsersRepository } from 'src/users/users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** For authentication only: the user behind an email, active or not. */
  findByEmail(email: string, tx?: EntityManager): Promise<UserEntity | null> {
    return this.repo.findByEmail(email, tx);
  }

  /** For authentication only: the user behind a token, if it still exists and is active. */
  async findActive(userId: string): Promise<UserEntity | null> {
    const user = await this.repo.findById(userId);
    return user?.active ? user : null;
  }

  async list(q: UsersQueryDto) {
    const { page, pageSize, offset } = pageOf(q);
    const [users, total] = await this.repo.findPage(offset, pageSize, q.search);
    return { items: users.map(toUserResponse), total, page, pageSize };
  }

  async get(userId: string) {
    return toUserResponse(await findOrFail(this.repo.findById(userId), 'User'));
  }

  async create(auth: AuthContext, dto: CreateUserDto) {
    return this.dataSource.transaction(async (tx) => toUserResponse(await this.createInTx(tx, auth, dto)));
  }

  /**
   * Creates a user inside the caller's transaction (also used when a consultant invites someone new, with a generated
   * password that is then one-time: `passwordChangeRequired`).
   */
  async createInTx(
    tx: EntityManager,
    auth: AuthContext,
    dto: { email: string; name: string; password: string; isAdmin?: boolean; canCreateClients?: boolean; passwordChangeRequired?: boolean },
  ) {
    if (await this.repo.findByEmail(dto.email, tx)) throw new ConflictException(`A user with email ${dto.email} already exists`);
    const user = await this.repo.insert(
      {
        email: dto.email,
        name: dto.name,
        passwordHash: await hashPassword(dto.password),
        isAdmin: dto.isAdmin ?? false,
        canCreateClients: dto.canCreateClients ?? false,
        passwordChangeRequired: dto.passwordChangeRequired ?? false,
      },
      tx,
    );
    await this.audit.record(tx, { actorUserId: auth.userId, clientId: null, action: 'user.create', entityType: 'user', entityId: user.id, after: userSnapshot(user) });
    return user;
  }

  async update(auth: AuthContext, userId: string, dto: UpdateUserDto) {
    return this.dataSource.transaction(async (tx) => {
      const user = await findOrFail(this.repo.findById(userId, tx), 'User');
      if (userId === auth.userId && (dto.active === false || dto.isAdmin === false)) {
        throw new BadRequestException('You cannot deactivate yourself or remove your own admin flag');
      }
      const before = userSnapshot(user);
      if (dto.name !== undefined) user.name = dto.name;
      if (dto.isAdmin !== undefined) user.isAdmin = dto.isAdmin;
      if (dto.canCreateClients !== undefined) user.canCreateClients = dto.canCreateClients;
      if (dto.active !== undefined && dto.active !== user.active) {
        user.active = dto.active;
        user.deactivatedAt = dto.active ? null : new Date();
      }
      // Nothing changed (and no new password): no write, no event.
      if (dto.password === undefined && sameContent(before, userSnapshot(user))) return toUserResponse(user);
      if (dto.password !== undefined) user.passwordHash = await hashPassword(dto.password);
      const saved = await this.repo.save(user, tx);
      const after = { ...userSnapshot(saved), ...(dto.password !== undefined ? { passwordChanged: true } : {}) };
      await this.audit.record(tx, { actorUserId: auth.userId, clientId: null, action: 'user.update', entityType: 'user', entityId: user.id, before, after });
      return toUserResponse(saved);
    });
  }
}
