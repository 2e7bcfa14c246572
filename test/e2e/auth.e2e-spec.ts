import { API, TEST_PASSWORD, TestApp } from '../utils/app';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  describe('POST /auth/login', () => {
    it('returns a bearer token that works on /auth/me', async () => {
      const u = await t.user();
      const res = await t.http().post(`${API}/auth/login`).send({ email: u.email.toUpperCase(), password: TEST_PASSWORD }).expect(200);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { id: u.id, email: u.email, isAdmin: false } });
      const me = await t.http().get(`${API}/auth/me`).auth(res.body.accessToken, { type: 'bearer' }).expect(200);
      expect(me.body).toEqual({ id: u.id, email: u.email, name: expect.any(String), isAdmin: false, canCreateClients: false, passwordChangeRequired: false });
    });

    it('refuses a wrong password and an unknown email with the same 401', async () => {
      const u = await t.user();
      const wrong = await t.http().post(`${API}/auth/login`).send({ email: u.email, password: 'not the password' }).expect(401);
      const unknown = await t.http().post(`${API}/auth/login`).send({ email: 'nobody@test.local', password: TEST_PASSWORD }).expect(401);
      expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Email or password is incorrect' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it.each([
      ['empty', {}],
      ['no password', { email: 'a@b.c' }],
      ['not an email', { email: 'not-an-email', password: 'x' }],
      ['number password', { email: 'a@b.c', password: 42 }],
      ['array email', { email: ['a@b.c'], password: 'x' }],
      ['huge password', { email: 'a@b.c', password: 'x'.repeat(10_000) }],
      ['unknown field', { email: 'a@b.c', password: 'x', admin: true }],
    ])('answers 400 to a malformed body (%s)', async (_label, body) => {
      const res = await t.http().post(`${API}/auth/login`).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    });

    it('answers 400 to malformed JSON', async () => {
      const res = await t.http().post(`${API}/auth/login`).set('content-type', 'application/json').send('{"email": ').expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/JSON/) });
    });

    it('refuses a deactivated user', async () => {
      const u = await t.user();
      await t.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [u.id]);
      await t.http().post(`${API}/auth/login`).send({ email: u.email, password: TEST_PASSWORD }).expect(401);
    });
  });

  describe('tokens', () => {
    it('refuses requests without, or with a forged, token', async () => {
      await t.http().get(`${API}/auth/me`).expect(401);
      await t.http().get(`${API}/auth/me`).auth('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad', { type: 'bearer' }).expect(401);
      await t.http().get(`${API}/auth/me`).auth('crt_not-a-real-token', { type: 'bearer' }).expect(401);
    });

    it('creates a personal API token, shown once and stored hashed, usable as bearer, revocable', async () => {
      const u = await t.user();
      const created = await t.http().post(`${API}/auth/tokens`).auth(u.token, { type: 'bearer' }).send({ name: 'export script' }).expect(201);
      const token = created.body.token as string;
      expect(token).toMatch(/^crt_[A-Za-z0-9_-]{40,}$/);
      const [row] = await t.dataSource.query(`SELECT token_hash FROM api_token WHERE id = $1`, [created.body.id]);
      expect(row.token_hash).not.toContain(token.slice(4, 20));

      const me = await t.http().get(`${API}/auth/me`).auth(token, { type: 'bearer' }).expect(200);
      expect(me.body.id).toBe(u.id);

      const list = await t.http().get(`${API}/auth/tokens`).auth(u.token, { type: 'bearer' }).expect(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0]).not.toHaveProperty('token');
      expect(list.body[0].lastUsedAt).not.toBeNull();

      await t.http().delete(`${API}/auth/tokens/${created.body.id}`).auth(u.token, { type: 'bearer' }).expect(200);
      await t.http().get(`${API}/auth/me`).auth(token, { type: 'bearer' }).expect(401);
    });

    it("does not let a user revoke someone else's token", async () => {
      const [a, b] = [await t.user(), await t.user()];
      const created = await t.http().post(`${API}/auth/tokens`).auth(a.token, { type: 'bearer' }).send({ name: 'a' }).expect(201);
      await t.http().delete(`${API}/auth/tokens/${created.body.id}`).auth(b.token, { type: 'bearer' }).expect(404);
      await t.http().delete(`${API}/auth/tokens/not-a-uuid`).auth(b.token, { type: 'bearer' }).expect(400);
      await t.http().get(`${API}/auth/me`).auth(created.body.token, { type: 'bearer' }).expect(200);
    });

    it('stops every session and API token of a deactivated user', async () => {
      const admin = await t.user({ admin: true });
      const u = await t.user();
      const apiToken = (await t.http().post(`${API}/auth/tokens`).auth(u.token, { type: 'bearer' }).send({ name: 'x' }).expect(201)).body.token;
      await t.http().patch(`${API}/users/${u.id}`).auth(admin.token, { type: 'bearer' }).send({ active: false }).expect(200);
      await t.http().get(`${API}/auth/me`).auth(u.token, { type: 'bearer' }).expect(401);
      await t.http().get(`${API}/auth/me`).auth(apiToken, { type: 'bearer' }).expect(401);
      await t.http().patch(`${API}/users/${u.id}`).auth(admin.token, { type: 'bearer' }).send({ active: true }).expect(200);
      await t.http().get(`${API}/auth/me`).auth(u.token, { type: 'bearer' }).expect(200);
    });
  });
});
