import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Response as SuperagentResponse } from 'superagent';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule } from 'src/app.module';
import { configureApp } from 'src/app.setup';
import { Role } from 'src/auth/permission';
import { createLogger } from 'src/common/logger';
import { loadConfig } from 'src/config/app-config';
import { hashPassword } from 'src/users/password';

export const API = '/api/v1';
export const TEST_PASSWORD = 'correct horse battery staple';
/** The audit chain key of every test app and script on the run's database (one key, or verify reports HMAC breaks). */
export const TEST_AUDIT_KEY = 'test-audit-key-test-audit-key-0123456789';

export interface TestUser {
  id: string;
  email: string;
  token: string;
}

let passwordHash: Promise<string> | undefined;

/**
 * A running app on the run's PostgreSQL database, plus helpers that create data through the database directly
 * (unique per test, so no test depends on another's data) and mint tokens without going through the login limiter.
 */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly dataSource: DataSource,
  ) {}

  static async create(env: Record<string, string | undefined> = {}, opts: { logger?: Logger } = {}): Promise<TestApp> {
    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'crt-test-')),
      ADMIN_EMAIL: 'admin@test.local',
      ADMIN_PASSWORD: TEST_PASSWORD,
      // Sign-in limits are shared through the database by every app of the run: tests of the limits set their own.
      LOGIN_RATE_LIMIT: '1000',
      LOGIN_ADDRESS_RATE_LIMIT: '100000',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      // Every app of the run seals the same chains (the instance chain is shared): one key, like one deployment.
      AUDIT_HMAC_KEY: TEST_AUDIT_KEY,
      ...env,
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    configureApp(app, opts.logger ?? createLogger('silent'), { trustProxy: config.trustProxy });
    await app.init();
    return new TestApp(app, app.get(DataSource));
  }

  http() {
    return request(this.app.getHttpServer());
  }

  close() {
    return this.app.close();
  }

  token(user: { id: string; email: string }): string {
    return this.app.get(JwtService).sign({ sub: user.id, email: user.email });
  }

  /** A user with TEST_PASSWORD; `canCreateClients` lets a non-admin open clients (SPEC 4). */
  async user(opts: { admin?: boolean; email?: string; name?: string; canCreateClients?: boolean } = {}): Promise<TestUser> {
    const email = opts.email ?? `user-${randomUUID()}@test.local`;
    const [row] = (await this.dataSource.query(
      `INSERT INTO app_user (email, name, password_hash, is_admin, can_create_clients) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [email, opts.name ?? email.split('@')[0], await (passwordHash ??= hashPassword(TEST_PASSWORD)), opts.admin ?? false, opts.canCreateClients ?? false],
    )) as { id: string }[];
    return { id: row.id, email, token: this.token({ id: row.id, email }) };
  }

  /** A client with one user per role (and a non-member, and an admin), for permission tests. */
  async clientWithRoles() {
    const [consultant, member, auditor, outsider, admin] = await Promise.all([
      this.user({ canCreateClients: true }),
      this.user(),
      this.user(),
      this.user(),
      this.user({ admin: true }),
    ]);
    const res = await this.http()
      .post(`${API}/clients`)
      .auth(consultant.token, { type: 'bearer' })
      .send({ name: `Client ${randomUUID()}` })
      .expect(201);
    const clientId = res.body.id as string;
    await this.addMember(clientId, member.id, Role.Member);
    await this.addMember(clientId, auditor.id, Role.Auditor);
    return { clientId, consultant, member, auditor, outsider, admin };
  }

  async addMember(clientId: string, userId: string, role: Role) {
    await this.dataSource.query(`INSERT INTO client_member (client_id, user_id, role) VALUES ($1, $2, $3)`, [clientId, userId, role]);
  }
}

/** A date `days` from today (UTC) as YYYY-MM-DD. */
export const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** supertest parser that keeps a binary body as a Buffer. */
export function binaryParser(res: SuperagentResponse, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
