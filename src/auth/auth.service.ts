import { Injectable, NotFoundException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

import { AuditService } from 'src/audit/audit.service';
import { ApiTokensRepository } from 'src/auth/api-tokens.repository';
import { AuthContext } from 'src/auth/auth-context';
import { ChangePasswordDto, CreateApiTokenDto, toApiTokenResponse, toMe } from 'src/auth/auth.dto';
import { SignInLimiter } from 'src/auth/sign-in-limiter.service';
import { findOrFail } from 'src/common/errors';
import { dummyPasswordHash, verifyPassword } from 'src/users/password';
import { PasswordsService } from 'src/users/passwords.service';
import { UserEntity } from 'src/users/user.entity';
import { UsersService } from 'src/users/users.service';

/** Personal API tokens start with this, so the guard can tell them from JWTs. */
export const API_TOKEN_PREFIX = 'crt_';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const contextOf = (user: UserEntity) =>
  new AuthContext(user.id, user.email, user.isAdmin, null, null, { passwordChangeRequired: user.passwordChangeRequired, canCreateClients: user.canCreateClients });

export interface JwtPayload {
  sub: string;
  email: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly tokens: ApiTokensRepository,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly limiter: SignInLimiter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * A sign-in attempt from client address `ip` (API and web UI alike): the user, or null for wrong credentials.
   * Throws 429 (RetryLaterException) while the limits of SignInLimiter refuse this account from this address.
   */
  signIn(email: string, password: string, ip: string | undefined): Promise<UserEntity | null> {
    return this.limiter.attempt(email, ip, () => this.validateCredentials(email, password));
  }

  /** The active user with these credentials, or null. Always hashes once, so timing does not reveal unknown emails. */
  async validateCredentials(email: string, password: string): Promise<UserEntity | null> {
    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    return ok && user?.active ? user : null;
  }

  async login(user: UserEntity) {
    const payload: JwtPayload = { sub: user.id, email: user.email };
    return {
      accessToken: await this.jwt.signAsync(payload),
      tokenType: 'Bearer' as const,
      expiresIn: String(this.jwt['options']?.signOptions?.expiresIn ?? ''),
      passwordChangeRequired: user.passwordChangeRequired,
      user: toMe(user),
    };
  }

  async me(auth: AuthContext) {
    return toMe(await findOrFail(this.users.findActive(auth.userId), 'User'));
  }

  /** The caller's own password change; answers the caller's account as /auth/me does. */
  async changePassword(auth: AuthContext, dto: ChangePasswordDto) {
    return toMe(await this.passwords.changeOwn(auth, dto.currentPassword, dto.newPassword));
  }

  /** Context for a verified JWT: only while the user exists and is active (deactivation revokes every session). */
  async contextFromJwt(payload: JwtPayload): Promise<AuthContext | null> {
    const user = await this.users.findActive(payload.sub);
    return user ? contextOf(user) : null;
  }

  /** Context for a personal API token: only while it is not revoked and its user is active. */
  async contextFromApiToken(token: string): Promise<AuthContext | null> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return null;
    const row = await this.tokens.findLiveByHash(sha256(token));
    if (!row) return null;
    const user = await this.users.findActive(row.userId);
    if (!user) return null;
    await this.tokens.touch(row.id);
    return contextOf(user);
  }

  async listTokens(auth: AuthContext) {
    return (await this.tokens.findByUserId(auth.userId)).map(toApiTokenResponse);
  }

  async createToken(auth: AuthContext, dto: CreateApiTokenDto) {
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    return this.dataSource.transaction(async (tx) => {
      const row = await this.tokens.insert({ userId: auth.userId, name: dto.name, tokenHash: sha256(token), prefix: token.slice(0, 10) }, tx);
      await this.audit.record(tx, { actorUserId: auth.userId, clientId: null, action: 'api_token.create', entityType: 'api_token', entityId: row.id, after: { name: row.name, prefix: row.prefix } });
      return { ...toApiTokenResponse(row), token };
    });
  }

  async revokeToken(auth: AuthContext, tokenId: string) {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.tokens.findOwned(auth.userId, tokenId, tx);
      if (!row) throw new NotFoundException('API token not found');
      if (!row.revokedAt) {
        row.revokedAt = new Date();
        await this.tokens.save(row, tx);
        await this.audit.record(tx, { actorUserId: auth.userId, clientId: null, action: 'api_token.revoke', entityType: 'api_token', entityId: row.id, before: { revokedAt: null }, after: { revokedAt: row.revokedAt } });
      }
      return toApiTokenResponse(row);
    });
  }
}
