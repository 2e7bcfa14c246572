import { API, TestApp } from '../utils/app';

describe('users (admin only)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('lets an admin create, list, read and update users; the password never comes back', async () => {
    const admin = await t.user({ admin: true });
    const email = `new-${Date.now()}@test.local`;
    const created = await t
      .http()
      .post(`${API}/users`)
      .auth(admin.token, { type: 'bearer' })
      .send({ email: email.toUpperCase(), name: 'New Person', password: 'a long enough password' })
      .expect(201);
    expect(created.body).toMatchObject({ email, name: 'New Person', isAdmin: false, active: true });
    expect(Object.keys(created.body)).not.toEqual(expect.arrayContaining(['password']));
    expect(Object.keys(created.body).filter((k) => /hash/i.test(k))).toEqual([]);
    expect(JSON.stringify(created.body)).not.toMatch(/a long enough password|argon2/);

    const list = await t.http().get(`${API}/users?search=${encodeURIComponent(email)}`).auth(admin.token, { type: 'bearer' }).expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, items: [{ id: created.body.id }] });

    await t.http().get(`${API}/users/${created.body.id}`).auth(admin.token, { type: 'bearer' }).expect(200);
    const updated = await t.http().patch(`${API}/users/${created.body.id}`).auth(admin.token, { type: 'bearer' }).send({ name: 'Renamed' }).expect(200);
    expect(updated.body.name).toBe('Renamed');

    const [event] = await t.dataSource.query(
      `SELECT before, after FROM audit_event WHERE entity_type = 'user' AND entity_id = $1 AND action = 'user.update'`,
      [created.body.id],
    );
    expect(event).toEqual({ before: expect.objectContaining({ name: 'New Person' }), after: expect.objectContaining({ name: 'Renamed' }) });
  });

  it('lets an admin allow a user to create clients, at creation or later, audited; refuses bad values and non-admins', async () => {
    const admin = await t.user({ admin: true });
    const auth = { type: 'bearer' as const };
    const created = await t.http().post(`${API}/users`).auth(admin.token, auth).send({ email: `maker-${Date.now()}@localhost`, name: 'Maker', password: 'a long enough password', canCreateClients: true }).expect(201);
    expect(created.body).toMatchObject({ canCreateClients: true, passwordChangeRequired: false });
    const plain = await t.user();
    const allowed = await t.http().patch(`${API}/users/${plain.id}`).auth(admin.token, auth).send({ canCreateClients: true }).expect(200);
    expect(allowed.body.canCreateClients).toBe(true);
    const [event] = await t.dataSource.query(`SELECT actor_user_id AS actor, before, after FROM audit_event WHERE entity_id = $1 AND action = 'user.update'`, [plain.id]);
    expect(event).toEqual({ actor: admin.id, before: expect.objectContaining({ canCreateClients: false }), after: expect.objectContaining({ canCreateClients: true }) });
    for (const bad of ['yes', 1, null, [true], 'true']) {
      await t.http().patch(`${API}/users/${plain.id}`).auth(admin.token, auth).send({ canCreateClients: bad }).expect(400);
    }
    const { consultant, member, auditor } = await t.clientWithRoles();
    for (const u of [consultant, member, auditor, plain]) {
      await t.http().patch(`${API}/users/${u.id}`).auth(u.token, auth).send({ canCreateClients: true }).expect(403);
    }
    const [row] = await t.dataSource.query(`SELECT can_create_clients AS v FROM app_user WHERE id = $1`, [member.id]);
    expect(row.v).toBe(false);
  });

  it('answers 409 to a duplicate email', async () => {
    const admin = await t.user({ admin: true });
    const existing = await t.user();
    const res = await t.http().post(`${API}/users`).auth(admin.token, { type: 'bearer' }).send({ email: existing.email, name: 'x', password: 'a long enough password' }).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it.each([
    [{ email: 'x@test.local', name: 'x', password: 'short' }],
    [{ email: 'x@test.local', name: '', password: 'a long enough password' }],
    [{ email: 'x@test.local', name: 'x'.repeat(201), password: 'a long enough password' }],
    [{ email: 'x@test.local', name: 'x', password: 'a long enough password', isAdmin: 'yes' }],
    [{ email: 'x@test.local', name: 'x', password: 'a long enough password', role: 'admin' }],
  ])('answers 400 to %j', async (body) => {
    const admin = await t.user({ admin: true });
    await t.http().post(`${API}/users`).auth(admin.token, { type: 'bearer' }).send(body).expect(400);
  });

  it('refuses non-admins with 403 and anonymous callers with 401', async () => {
    const u = await t.user();
    await t.http().get(`${API}/users`).auth(u.token, { type: 'bearer' }).expect(403);
    await t.http().post(`${API}/users`).auth(u.token, { type: 'bearer' }).send({ email: 'a@test.local', name: 'a', password: 'a long enough password' }).expect(403);
    await t.http().patch(`${API}/users/${u.id}`).auth(u.token, { type: 'bearer' }).send({ isAdmin: true }).expect(403);
    await t.http().get(`${API}/users`).expect(401);
  });

  it('does not let an admin deactivate themself', async () => {
    const admin = await t.user({ admin: true });
    await t.http().patch(`${API}/users/${admin.id}`).auth(admin.token, { type: 'bearer' }).send({ active: false }).expect(400);
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const admin = await t.user({ admin: true });
    await t.http().get(`${API}/users/00000000-0000-4000-8000-000000000000`).auth(admin.token, { type: 'bearer' }).expect(404);
    await t.http().get(`${API}/users/123`).auth(admin.token, { type: 'bearer' }).expect(400);
  });
});
