import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';

import { ApiTokenEntity } from 'src/auth/api-token.entity';

@Injectable()
export class ApiTokensRepository {
  constructor(@InjectRepository(ApiTokenEntity) private readonly repo: Repository<ApiTokenEntity>) {}

  insert(token: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'prefix'>, tx: EntityManager) {
    const r = tx.getRepository(ApiTokenEntity);
    return r.save(r.create(token));
  }

  findByUserId(userId: string) {
    return this.repo.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  findOwned(userId: string, id: string, tx: EntityManager) {
    return tx.getRepository(ApiTokenEntity).findOneBy({ id, userId });
  }

  /** The live (not revoked) token with this hash. */
  findLiveByHash(tokenHash: string) {
    return this.repo.findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  /** Best-effort usage stamp, at most once a minute per token so that reads do not turn into writes. */
  async touch(id: string): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where("id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", { id })
      .execute();
  }

  save(token: ApiTokenEntity, tx: EntityManager) {
    return tx.getRepository(ApiTokenEntity).save(token);
  }
}
