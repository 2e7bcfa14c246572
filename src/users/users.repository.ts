import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { UserEntity } from 'src/users/user.entity';
import { containsPattern } from 'src/common/errors';
import { MIGRATION_LOCK_ID } from 'src/database/data-source';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  private r(tx?: EntityManager) {
    return tx ? tx.getRepository(UserEntity) : this.repo;
  }

  findById(id: string, tx?: EntityManager) {
    return this.r(tx).findOneBy({ id });
  }

  findByEmail(email: string, tx?: EntityManager) {
    return this.r(tx).findOneBy({ email: email.toLowerCase() });
  }

  findByIds(ids: string[]) {
    return ids.length ? this.repo.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany() : Promise.resolve([]);
  }

  count(tx?: EntityManager) {
    return this.r(tx).count();
  }

  /**
   * Waits for, then holds until the transaction ends, the lock that serialises migrations, so that instances
   * starting together on an empty database create the first admin once.
   */
  async lockFirstRun(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
  }

  /** Page of users ordered by email. */
  findPage(offset: number, limit: number, search?: string) {
    const qb = this.repo.createQueryBuilder('u').orderBy('u.email').offset(offset).limit(limit);
    if (search) qb.where('(u.email ILIKE :s OR u.name ILIKE :s)', { s: containsPattern(search) });
    return qb.getManyAndCount();
  }

  insert(user: Pick<UserEntity, 'email' | 'name' | 'passwordHash' | 'isAdmin'> & Partial<Pick<UserEntity, 'canCreateClients' | 'passwordChangeRequired'>>, tx?: EntityManager) {
    return this.r(tx).save(this.r(tx).create(user));
  }

  save(user: UserEntity, tx?: EntityManager) {
    return this.r(tx).save(user);
  }
}
