import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { UserEntity } from 'src/users/user.entity';
import { containsPattern } from 'src/common/errors';

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

  count() {
    return this.repo.count();
  }

  /** Page of users ordered by email. */
  findPage(offset: number, limit: number, search?: string) {
    const qb = this.repo.createQueryBuilder('u').orderBy('u.email').offset(offset).limit(limit);
    if (search) qb.where('(u.email ILIKE :s OR u.name ILIKE :s)', { s: containsPattern(search) });
    return qb.getManyAndCount();
  }

  insert(user: Pick<UserEntity, 'email' | 'name' | 'passwordHash' | 'isAdmin'>, tx?: EntityManager) {
    return this.r(tx).save(this.r(tx).create(user));
  }

  save(user: UserEntity, tx?: EntityManager) {
    return this.r(tx).save(user);
  }
}
