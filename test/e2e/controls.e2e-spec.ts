import { API, day, TestApp } from '../utils/app';

type Ctl = { id: string; ref: string; framework: string; state: string; status: string; ownerId: string | null; section: string };

describe('enrollment and controls', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const as = (token: string) => ({
    get: (p: string) => t.http().get(`${API}${p}`).auth(token, { type: 'bearer' }),
    post: (p: string, b?: object) => t.http().post(`${API}${p}`).auth(token, { type: 'bearer' }).send(b),
    patch: (p: string, b: object) => t.http().patch(`${API}${p}`).auth(token, { type: 'bearer' }).send(b),
    delete: (p: string) => t.http().delete(`${API}${p}`).auth(token, { type: 'bearer' }),
  });

  async function enrolledClient(...frameworks: string[]) {
    const c = await t.clientWithRoles();
    for (const f of frameworks) await as(c.consultant.token).post(`/clients/${c.clientId}/frameworks`, { framework: f }).expect(201);
    const all: Ctl[] = (await as(c.consultant.token).get(`/clients/${c.clientId}/controls?pageSize=500`).expect(200)).body.items;
    return { ...c, controls: all };
  }

  describe('enrollment', () => {
    it('creates one control per requirement of each framework (419 for all three); twice is a 409', async () => {
      const c = await t.clientWithRoles();
      const api = as(c.consultant.token);
      const counts: Record<string, number> = {};
      for (const f of ['soc2', 'hipaa', 'pci-dss']) {
        const res = await api.post(`/clients/${c.clientId}/frameworks`, { framework: f }).expect(201);
        counts[f] = res.body.controlCount;
      }
      expect(counts).toEqual({ soc2: 61, hipaa: 78, 'pci-dss': 280 });
      const list = await api.get(`/clients/${c.clientId}/controls?pageSize=1`).expect(200);
      expect(list.body.total).toBe(419);
      await api.post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(409);
      const enrolled = await api.get(`/clients/${c.clientId}/frameworks`).expect(200);
      expect(enrolled.body.map((e: { framework: string }) => e.framework)).toEqual(['hipaa', 'pci-dss', 'soc2']);
    });

    it('unenrolls keeping the controls and their history, which come back on re-enrollment', async () => {
      const c = await enrolledClient('soc2');
      const api = as(c.consultant.token);
      const ctl = c.controls[0];
      await api.patch(`/clients/${c.clientId}/controls/${ctl.id}`, { status: 'in_progress', notes: 'started' }).expect(200);
      await api.delete(`/clients/${c.clientId}/frameworks/soc2`).expect(204);
      expect((await api.get(`/clients/${c.clientId}/controls`).expect(200)).body.total).toBe(0);
      await api.get(`/clients/${c.clientId}/controls/${ctl.id}`).expect(404);
      await api.delete(`/clients/${c.clientId}/frameworks/soc2`).expect(404);
      await api.post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(201);
      const back = await api.get(`/clients/${c.clientId}/controls/${ctl.id}`).expect(200);
      expect(back.body).toMatchObject({ status: 'in_progress', notes: 'started' });
      const events = await api.get(`/clients/${c.clientId}/audit-events?entityType=client_framework`).expect(200);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['framework.enroll', 'framework.unenroll', 'framework.enroll']);
    });

    it('refuses members, auditors and bad input; hides the client from outsiders', async () => {
      const c = await t.clientWithRoles();
      await as(c.member.token).post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(403);
      await as(c.auditor.token).post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(403);
      await as(c.outsider.token).post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(404);
      await as(c.consultant.token).post(`/clients/${c.clientId}/frameworks`, { framework: 'not-loaded' }).expect(404);
      await as(c.consultant.token).post(`/clients/${c.clientId}/frameworks`, { framework: 'SOC 2' }).expect(400);
      await as(c.consultant.token).post(`/clients/${c.clientId}/frameworks`, {}).expect(400);
      await as(c.consultant.token).delete(`/clients/${c.clientId}/frameworks/soc2`).expect(404);
      await as(c.consultant.token).delete(`/clients/${c.clientId}/frameworks/Not%20A%20Key`).expect(400);
    });
  });

  describe('list filters', () => {
    it('filters by framework, status, owner, unowned, overdue, applicability, section, state and search; sorts; paginates', async () => {
      const c = await enrolledClient('soc2', 'hipaa');
      const api = as(c.consultant.token);
      const base = `/clients/${c.clientId}/controls`;
      const soc2 = c.controls.filter((x) => x.framework === 'soc2');
      const [a, b, d, e] = soc2;
      await api.patch(`${base}/${a.id}`, { status: 'implemented', ownerId: c.member.id, dueDate: day(-3) }).expect(200);
      await api.patch(`${base}/${b.id}`, { status: 'in_progress', ownerId: c.consultant.id, dueDate: day(10) }).expect(200);
      await api.patch(`${base}/${d.id}`, { applicable: false, justification: 'No such system in scope' }).expect(200);
      await api.patch(`${base}/${e.id}`, { notes: 'quarterly review with zebra-unique-word' }).expect(200);

      const q = async (query: string) => (await api.get(`${base}?pageSize=500&${query}`).expect(200)).body;
      expect((await q('framework=hipaa')).total).toBe(78);
      expect((await q('framework=soc2&status=implemented')).items.map((x: Ctl) => x.id)).toEqual([a.id]);
      expect((await q(`ownerId=${c.member.id}`)).items.map((x: Ctl) => x.id)).toEqual([a.id]);
      expect((await q('unowned=true')).total).toBe(139 - 2);
      expect((await q('unowned=false')).total).toBe(2);
      expect((await q('overdue=true')).items.map((x: Ctl) => x.id)).toEqual([a.id]);
      expect((await q('applicable=false')).items.map((x: Ctl) => x.id)).toEqual([d.id]);
      expect((await q('state=not_applicable')).total).toBe(1);
      expect((await q('state=partial')).items.map((x: Ctl) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect((await q('framework=soc2&section=CC6')).total).toBe(8);
      expect((await q('section=164.312')).total).toBe(12);
      expect((await q('search=zebra-unique-word')).items.map((x: Ctl) => x.id)).toEqual([e.id]);
      expect((await q('search=CC6.1')).items[0].ref).toBe('CC6.1');

      const byDue = await q('sort=dueDate&order=asc');
      expect(byDue.items.slice(0, 2).map((x: Ctl) => x.id)).toEqual([a.id, b.id]);
      const page2 = (await api.get(`${base}?pageSize=50&page=2`).expect(200)).body;
      expect(page2).toMatchObject({ total: 139, page: 2, pageSize: 50 });
      expect(page2.items).toHaveLength(50);
      expect(page2.items[0]).toMatchObject({ id: expect.any(String), ref: expect.any(String), title: expect.any(String), evidenceCount: 0, overdue: false });
    });

    it.each(['status=done', 'state=great', 'ownerId=bob', 'overdue=yes', 'sort=random', 'order=up', 'framework=PCI%20DSS', 'pageSize=501', 'bogus=1'])(
      'answers 400 to %s',
      async (query) => {
        const c = await t.clientWithRoles();
        await as(c.consultant.token).get(`/clients/${c.clientId}/controls?${query}`).expect(400);
      },
    );
  });

  describe('changes and permissions', () => {
    it('lets consultants change anything and records before and after', async () => {
      const c = await enrolledClient('soc2');
      const ctl = c.controls[5];
      const res = await as(c.consultant.token)
        .patch(`/clients/${c.clientId}/controls/${ctl.id}`, { status: 'in_progress', ownerId: c.member.id, dueDate: day(30), notes: 'Kick-off done' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'in_progress', ownerId: c.member.id, dueDate: day(30), notes: 'Kick-off done', state: 'partial' });
      expect(res.body.history[0]).toMatchObject({
        action: 'control.update',
        actorUserId: c.consultant.id,
        before: { status: 'not_started', ownerId: null, dueDate: null, notes: null },
        after: { status: 'in_progress', ownerId: c.member.id, dueDate: day(30), notes: 'Kick-off done' },
      });
      const cleared = await as(c.consultant.token).patch(`/clients/${c.clientId}/controls/${ctl.id}`, { ownerId: null, dueDate: null }).expect(200);
      expect(cleared.body).toMatchObject({ ownerId: null, dueDate: null });
    });

    it('lets a member change only status and notes of controls they own', async () => {
      const c = await enrolledClient('soc2');
      const [mine, theirs] = c.controls;
      await as(c.consultant.token).patch(`/clients/${c.clientId}/controls/${mine.id}`, { ownerId: c.member.id }).expect(200);
      const m = as(c.member.token);
      await m.patch(`/clients/${c.clientId}/controls/${mine.id}`, { status: 'implemented', notes: 'Done, see evidence' }).expect(200);
      await m.patch(`/clients/${c.clientId}/controls/${mine.id}`, { dueDate: day(5) }).expect(403);
      await m.patch(`/clients/${c.clientId}/controls/${mine.id}`, { applicable: false, justification: 'x' }).expect(403);
      await m.patch(`/clients/${c.clientId}/controls/${mine.id}`, { ownerId: c.consultant.id }).expect(403);
      await m.patch(`/clients/${c.clientId}/controls/${theirs.id}`, { status: 'implemented' }).expect(403);
      await m.get(`/clients/${c.clientId}/controls/${theirs.id}`).expect(200);
      const after = await m.get(`/clients/${c.clientId}/controls/${mine.id}`).expect(200);
      expect(after.body).toMatchObject({ status: 'implemented', notes: 'Done, see evidence', dueDate: null });
    });

    it('lets auditors read but change nothing, and hides everything from non-members', async () => {
      const c = await enrolledClient('soc2');
      const ctl = c.controls[0];
      await as(c.auditor.token).get(`/clients/${c.clientId}/controls/${ctl.id}`).expect(200);
      await as(c.auditor.token).patch(`/clients/${c.clientId}/controls/${ctl.id}`, { notes: 'x' }).expect(403);
      await as(c.auditor.token).post(`/clients/${c.clientId}/controls/bulk`, { ids: [ctl.id], set: { status: 'implemented' } }).expect(403);
      await as(c.outsider.token).get(`/clients/${c.clientId}/controls`).expect(404);
      await as(c.outsider.token).get(`/clients/${c.clientId}/controls/${ctl.id}`).expect(404);
      await as(c.outsider.token).patch(`/clients/${c.clientId}/controls/${ctl.id}`, { notes: 'x' }).expect(404);
      await as(c.admin.token).patch(`/clients/${c.clientId}/controls/${ctl.id}`, { notes: 'admin note' }).expect(200);
    });

    it("refuses a control of another client, an owner who is not a member, and an auditor as owner", async () => {
      const c = await enrolledClient('soc2');
      const other = await enrolledClient('soc2');
      await as(c.consultant.token).patch(`/clients/${c.clientId}/controls/${other.controls[0].id}`, { notes: 'x' }).expect(404);
      await as(c.consultant.token).patch(`/clients/${c.clientId}/controls/${c.controls[0].id}`, { ownerId: c.outsider.id }).expect(400);
      await as(c.consultant.token).patch(`/clients/${c.clientId}/controls/${c.controls[0].id}`, { ownerId: c.auditor.id }).expect(400);
    });

    it('requires a justification to mark a control not applicable, and clears it when applicable again', async () => {
      const c = await enrolledClient('hipaa');
      const api = as(c.consultant.token);
      const url = `/clients/${c.clientId}/controls/${c.controls[3].id}`;
      const missing = await api.patch(url, { applicable: false }).expect(400);
      expect(missing.body.message).toMatch(/justification/);
      await api.patch(url, { applicable: false, justification: '   ' }).expect(400);
      await api.patch(url, { justification: 'only text' }).expect(400);
      const na = await api.patch(url, { applicable: false, justification: 'We host no ePHI on workstations' }).expect(200);
      expect(na.body).toMatchObject({ applicable: false, justification: 'We host no ePHI on workstations', state: 'not_applicable' });
      const back = await api.patch(url, { applicable: true }).expect(200);
      expect(back.body).toMatchObject({ applicable: true, justification: null });
    });

    it.each([
      [{ status: 'done' }],
      [{ ownerId: 'bob' }],
      [{ dueDate: '31/12/2026' }],
      [{ dueDate: '2026-02-30' }],
      [{ applicable: 'no' }],
      [{ notes: 'long'.repeat(5001) }],
      [{ id: '00000000-0000-4000-8000-000000000000' }],
    ])('answers 400 to %j', async (body) => {
      const c = await enrolledClient('soc2');
      await as(c.consultant.token).patch(`/clients/${c.clientId}/controls/${c.controls[0].id}`, body).expect(400);
    });
  });

  describe('bulk', () => {
    it('assigns by ids and by filter, atomically, with one audit event per changed control', async () => {
      const c = await enrolledClient('soc2', 'hipaa');
      const api = as(c.consultant.token);
      const ids = c.controls.slice(0, 3).map((x) => x.id);
      const byIds = await api.post(`/clients/${c.clientId}/controls/bulk`, { ids, set: { ownerId: c.member.id, dueDate: day(14) } }).expect(200);
      expect(byIds.body).toEqual({ matched: 3, changed: 3 });
      const again = await api.post(`/clients/${c.clientId}/controls/bulk`, { ids, set: { ownerId: c.member.id } }).expect(200);
      expect(again.body).toEqual({ matched: 3, changed: 0 });

      const byFilter = await api.post(`/clients/${c.clientId}/controls/bulk`, { filter: { framework: 'hipaa', section: '164.312' }, set: { status: 'in_progress' } }).expect(200);
      expect(byFilter.body).toEqual({ matched: 12, changed: 12 });
      const hipaaTech = (await api.get(`/clients/${c.clientId}/controls?section=164.312&status=in_progress`).expect(200)).body;
      expect(hipaaTech.total).toBe(12);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE client_id = $1 AND action = 'control.bulk_update'`, [c.clientId]);
      expect(n).toBe(15);
    });

    it('changes nothing when one id is not in the client, or a rule fails', async () => {
      const c = await enrolledClient('soc2');
      const other = await enrolledClient('soc2');
      const api = as(c.consultant.token);
      const ids = [c.controls[0].id, other.controls[0].id];
      await api.post(`/clients/${c.clientId}/controls/bulk`, { ids, set: { status: 'implemented' } }).expect(404);
      await api.post(`/clients/${c.clientId}/controls/bulk`, { ids: [c.controls[1].id], set: { applicable: false } }).expect(400);
      const list = (await api.get(`/clients/${c.clientId}/controls?status=implemented`).expect(200)).body;
      expect(list.total).toBe(0);
      expect((await api.get(`/clients/${c.clientId}/controls?applicable=false`).expect(200)).body.total).toBe(0);
    });

    it('refuses members and malformed requests', async () => {
      const c = await enrolledClient('soc2');
      const ids = [c.controls[0].id];
      await as(c.member.token).post(`/clients/${c.clientId}/controls/bulk`, { ids, set: { status: 'implemented' } }).expect(403);
      for (const body of [
        { set: { status: 'implemented' } },
        { ids, filter: {}, set: { status: 'implemented' } },
        { ids, set: {} },
        { ids: ['x'], set: { status: 'implemented' } },
        { ids, set: { notes: 'not a bulk field' } },
        { ids: Array(1001).fill(ids[0]), set: { status: 'implemented' } },
        { filter: { unknown: 1 }, set: { status: 'implemented' } },
      ]) {
        await as(c.consultant.token).post(`/clients/${c.clientId}/controls/bulk`, body).expect(400);
      }
    });
  });

  describe('control page', () => {
    it("shows the requirement, its mapped controls in the client's other frameworks with their states, and history", async () => {
      const c = await enrolledClient('soc2', 'hipaa');
      const api = as(c.consultant.token);
      const cc61 = c.controls.find((x) => x.ref === 'CC6.1')!;
      const res = await api.get(`/clients/${c.clientId}/controls/${cc61.id}`).expect(200);
      expect(res.body).toMatchObject({ ref: 'CC6.1', framework: 'soc2', description: expect.any(String), evidenceGuidance: expect.any(Array), evidence: [], history: [] });
      const hipaa = res.body.mappings.filter((m: { framework: string }) => m.framework === 'hipaa');
      expect(hipaa.length).toBeGreaterThan(0);
      expect(hipaa[0]).toMatchObject({ controlId: expect.any(String), state: 'gap', strength: expect.any(String), rationale: expect.any(String) });
      const pci = res.body.mappings.filter((m: { framework: string }) => m.framework === 'pci-dss');
      expect(pci.length).toBeGreaterThan(0);
      expect(pci[0]).toMatchObject({ controlId: null, state: null });
    });
  });
});
