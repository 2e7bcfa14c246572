import { randomUUID } from 'node:crypto';

import { Role } from 'src/auth/permission';

import { API, TestApp } from '../utils/app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('clients and members', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('makes the creator the consultant, lists only visible clients, shows every client to admins', async () => {
    const { clientId, consultant, outsider, admin } = await t.clientWithRoles();
    const mine = await t.http().get(`${API}/clients`).auth(consultant.token, { type: 'bearer' }).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: clientId, role: 'consultant' })]);
    const theirs = await t.http().get(`${API}/clients`).auth(outsider.token, { type: 'bearer' }).expect(200);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const all = await t.http().get(`${API}/clients?pageSize=500`).auth(admin.token, { type: 'bearer' }).expect(200);
    expect(all.body.items.map((c: { id: string }) => c.id)).toContain(clientId);
  });

  it('lets unrelated consultants both have "Acme" without revealing each other', async () => {
    const [a, b] = await Promise.all([t.user({ canCreateClients: true }), t.user({ canCreateClients: true })]);
    const name = `Acme ${randomUUID()}`;
    const first = await t.http().post(`${API}/clients`).auth(a.token, { type: 'bearer' }).send({ name }).expect(201);
    const second = await t.http().post(`${API}/clients`).auth(b.token, { type: 'bearer' }).send({ name: name.toUpperCase() }).expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    // Renaming into the other's name works too, and each sees only their own.
    const other = await t.http().post(`${API}/clients`).auth(b.token, { type: 'bearer' }).send({ name: `Other ${randomUUID()}` }).expect(201);
    await t.http().patch(`${API}/clients/${other.body.id}`).auth(b.token, { type: 'bearer' }).send({ name }).expect(200);
    const seenByA = await t.http().get(`${API}/clients?search=${encodeURIComponent(name)}`).auth(a.token, { type: 'bearer' }).expect(200);
    expect(seenByA.body).toMatchObject({ total: 1, items: [{ id: first.body.id }] });
    const seenByB = await t.http().get(`${API}/clients?search=${encodeURIComponent(name)}`).auth(b.token, { type: 'bearer' }).expect(200);
    expect(seenByB.body.items.map((c: { id: string }) => c.id).sort()).toEqual([second.body.id, other.body.id].sort());
    expect(JSON.stringify(seenByB.body)).not.toContain(first.body.id);
  });

  describe('creating clients is a privilege (SPEC 4)', () => {
    const create = (token: string) => t.http().post(`${API}/clients`).auth(token, { type: 'bearer' }).send({ name: `New ${randomUUID()}` });

    it('admins and users an admin allowed may create a client and become its consultant', async () => {
      const [admin, allowed] = await Promise.all([t.user({ admin: true }), t.user({ canCreateClients: true })]);
      for (const u of [admin, allowed]) {
        const res = await create(u.token).expect(201);
        expect(res.body.role).toBe('consultant');
      }
    });

    it('refuses, with a message saying whom to ask, a consultant of another client without the flag, a member, an auditor and a plain user', async () => {
      const { clientId, member, auditor, outsider } = await t.clientWithRoles();
      const consultantElsewhere = await t.user();
      await t.addMember(clientId, consultantElsewhere.id, Role.Consultant);
      for (const u of [consultantElsewhere, member, auditor, outsider]) {
        const res = await create(u.token).expect(403);
        expect(res.body.message).toMatch(/ask an administrator/);
      }
      const clients = await t.dataSource.query(`SELECT count(*)::int AS n FROM client_member WHERE user_id = ANY($1) AND role = 'consultant'`, [
        [member.id, auditor.id, outsider.id],
      ]);
      expect(clients[0].n).toBe(0);
    });

    it('takes effect at once when an admin grants or withdraws it, and /auth/me reports it', async () => {
      const [admin, u] = await Promise.all([t.user({ admin: true }), t.user()]);
      const me = () => t.http().get(`${API}/auth/me`).auth(u.token, { type: 'bearer' }).expect(200);
      expect((await me()).body.canCreateClients).toBe(false);
      await t.http().patch(`${API}/users/${u.id}`).auth(admin.token, { type: 'bearer' }).send({ canCreateClients: true }).expect(200);
      expect((await me()).body.canCreateClients).toBe(true);
      await create(u.token).expect(201);
      await t.http().patch(`${API}/users/${u.id}`).auth(admin.token, { type: 'bearer' }).send({ canCreateClients: false }).expect(200);
      await create(u.token).expect(403);
    });
  });

  describe('permissions (SPEC 4)', () => {
    it('lets every role read the client, and only consultants and admins change it', async () => {
      const { clientId, consultant, member, auditor, admin } = await t.clientWithRoles();
      for (const u of [consultant, member, auditor, admin]) {
        await t.http().get(`${API}/clients/${clientId}`).auth(u.token, { type: 'bearer' }).expect(200);
        await t.http().get(`${API}/clients/${clientId}/members`).auth(u.token, { type: 'bearer' }).expect(200);
        await t.http().get(`${API}/clients/${clientId}/audit-events`).auth(u.token, { type: 'bearer' }).expect(200);
      }
      for (const u of [member, auditor]) {
        await t.http().patch(`${API}/clients/${clientId}`).auth(u.token, { type: 'bearer' }).send({ description: 'x' }).expect(403);
        await t.http().post(`${API}/clients/${clientId}/members`).auth(u.token, { type: 'bearer' }).send({ email: 'z@test.local', role: 'member' }).expect(403);
        await t.http().delete(`${API}/clients/${clientId}/members/${consultant.id}`).auth(u.token, { type: 'bearer' }).expect(403);
      }
      await t.http().patch(`${API}/clients/${clientId}`).auth(consultant.token, { type: 'bearer' }).send({ description: 'by consultant' }).expect(200);
      const res = await t.http().patch(`${API}/clients/${clientId}`).auth(admin.token, { type: 'bearer' }).send({ description: 'by admin' }).expect(200);
      expect(res.body).toMatchObject({ description: 'by admin', role: null });
    });

    it('answers 404 to a non-member for everything of the client, exactly as for a client that does not exist', async () => {
      const { clientId, outsider, consultant } = await t.clientWithRoles();
      const paths = ['', '/members', '/audit-events'];
      for (const p of paths) {
        const hidden = await t.http().get(`${API}/clients/${clientId}${p}`).auth(outsider.token, { type: 'bearer' }).expect(404);
        const missing = await t.http().get(`${API}/clients/${UNKNOWN}${p}`).auth(outsider.token, { type: 'bearer' }).expect(404);
        expect(hidden.body).toEqual(missing.body);
      }
      await t.http().patch(`${API}/clients/${clientId}`).auth(outsider.token, { type: 'bearer' }).send({ name: 'taken over' }).expect(404);
      await t.http().post(`${API}/clients/${clientId}/members`).auth(outsider.token, { type: 'bearer' }).send({ email: 'x@test.local', role: 'member' }).expect(404);
      await t.http().delete(`${API}/clients/${clientId}/members/${consultant.id}`).auth(outsider.token, { type: 'bearer' }).expect(404);
    });

    it('answers 400 to a malformed client id and 401 without a token', async () => {
      const u = await t.user();
      await t.http().get(`${API}/clients/not-a-uuid`).auth(u.token, { type: 'bearer' }).expect(400);
      await t.http().get(`${API}/clients/${UNKNOWN}`).expect(401);
    });
  });

  describe('members', () => {
    it('adds an existing user, changes their role, and removes them, each recorded in the audit trail', async () => {
      const { clientId, consultant } = await t.clientWithRoles();
      const newcomer = await t.user();
      const added = await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email: newcomer.email, role: 'auditor' }).expect(201);
      expect(added.body).toMatchObject({ userId: newcomer.id, role: 'auditor' });
      expect(added.body).not.toHaveProperty('temporaryPassword');
      await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email: newcomer.email, role: 'auditor' }).expect(409);
      await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email: newcomer.email, role: 'member' }).expect(201);
      await t.http().get(`${API}/clients/${clientId}`).auth(newcomer.token, { type: 'bearer' }).expect(200);
      await t.http().delete(`${API}/clients/${clientId}/members/${newcomer.id}`).auth(consultant.token, { type: 'bearer' }).expect(204);
      await t.http().get(`${API}/clients/${clientId}`).auth(newcomer.token, { type: 'bearer' }).expect(404);
      await t.http().delete(`${API}/clients/${clientId}/members/${newcomer.id}`).auth(consultant.token, { type: 'bearer' }).expect(404);

      const events = await t.http().get(`${API}/clients/${clientId}/audit-events?entityType=client_member&entityId=${newcomer.id}`).auth(consultant.token, { type: 'bearer' }).expect(200);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['member.remove', 'member.change_role', 'member.add']);
      expect(events.body.items[1]).toMatchObject({ before: { role: 'auditor' }, after: { role: 'member' }, actorUserId: consultant.id, actorEmail: consultant.email });
    });

    it('invites an unknown email by creating the user with a temporary password shown once', async () => {
      const { clientId, consultant } = await t.clientWithRoles();
      const email = `invitee-${randomUUID()}@test.local`;
      const res = await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email, role: 'member', name: 'Invitee' }).expect(201);
      expect(res.body).toMatchObject({ email, name: 'Invitee', role: 'member', temporaryPassword: expect.any(String) });
      await t.http().post(`${API}/auth/login`).send({ email, password: res.body.temporaryPassword }).expect(200);
    });

    it('keeps at least one consultant', async () => {
      const { clientId, consultant } = await t.clientWithRoles();
      await t.http().delete(`${API}/clients/${clientId}/members/${consultant.id}`).auth(consultant.token, { type: 'bearer' }).expect(409);
      await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email: consultant.email, role: 'member' }).expect(409);
    });

    it.each([
      [{ email: 'x@test.local', role: 'owner' }],
      [{ email: 'x@test.local' }],
      [{ email: 'nope', role: 'member' }],
      [{ email: 'x@test.local', role: 'member', isAdmin: true }],
    ])('answers 400 to %j', async (body) => {
      const { clientId, consultant } = await t.clientWithRoles();
      await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send(body).expect(400);
    });
  });

  describe('audit trail', () => {
    it('records the change and its history in the same transaction, filterable by actor, entity and time', async () => {
      const { clientId, consultant, admin } = await t.clientWithRoles();
      const before = new Date().toISOString();
      await t.http().patch(`${API}/clients/${clientId}`).auth(admin.token, { type: 'bearer' }).send({ name: `Renamed ${randomUUID()}` }).expect(200);
      const byAdmin = await t.http().get(`${API}/clients/${clientId}/audit-events?actorId=${admin.id}`).auth(consultant.token, { type: 'bearer' }).expect(200);
      expect(byAdmin.body).toMatchObject({ total: 1, items: [{ action: 'client.update', entityType: 'client', entityId: clientId }] });
      const recent = await t.http().get(`${API}/clients/${clientId}/audit-events?from=${encodeURIComponent(before)}`).auth(consultant.token, { type: 'bearer' }).expect(200);
      expect(recent.body.total).toBe(1);
      const paged = await t.http().get(`${API}/clients/${clientId}/audit-events?pageSize=1&page=2`).auth(consultant.token, { type: 'bearer' }).expect(200);
      expect(paged.body).toMatchObject({ page: 2, pageSize: 1, items: [expect.any(Object)] });
      expect(paged.body.total).toBeGreaterThanOrEqual(3);
      await t.http().get(`${API}/clients/${clientId}/audit-events?from=yesterday`).auth(consultant.token, { type: 'bearer' }).expect(400);
      await t.http().get(`${API}/clients/${clientId}/audit-events?actorId=42`).auth(consultant.token, { type: 'bearer' }).expect(400);
    });

    it('writes nothing when the change fails', async () => {
      const { clientId, consultant } = await t.clientWithRoles();
      const count = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE client_id = $1`, [clientId]))[0].n;
      const n = await count();
      await t.http().delete(`${API}/clients/${clientId}/members/${consultant.id}`).auth(consultant.token, { type: 'bearer' }).expect(409);
      expect(await count()).toBe(n);
    });

    it('cannot be rewritten or erased, even by SQL', async () => {
      const { clientId } = await t.clientWithRoles();
      await expect(t.dataSource.query(`UPDATE audit_event SET action = 'forged' WHERE client_id = $1`, [clientId])).rejects.toThrow(/permission denied|append-only/);
      await expect(t.dataSource.query(`DELETE FROM audit_event WHERE client_id = $1`, [clientId])).rejects.toThrow(/permission denied|append-only/);
      await expect(t.dataSource.query(`TRUNCATE audit_event CASCADE`)).rejects.toThrow(/permission denied|append-only/);
    });
  });
});
