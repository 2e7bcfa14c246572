import { randomBytes } from 'node:crypto';

import { API, day, TestApp } from '../utils/app';

type Ctl = { id: string; ref: string; section: string };

/** The formula of SPEC 3, written out here independently of the service. */
const score = (met: number, partial: number, applicable: number) => Math.round(((met + 0.5 * partial) / applicable) * 1000) / 10;

describe('readiness (SPEC 3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  async function evidence(clientId: string, uploaderId: string, controlIds: string[], o: { state: string; validUntil?: string | null; withdrawn?: boolean }) {
    const [e] = await t.dataSource.query(
      `INSERT INTO evidence (client_id, title, original_filename, media_type, size, sha256, uploaded_by, effective_date, valid_until, review_state, withdrawn_at)
       VALUES ($1, 'proof', 'proof.pdf', 'application/pdf', 10, $2, $3, current_date, $4, $5, $6) RETURNING id`,
      [clientId, randomBytes(32).toString('hex'), uploaderId, o.validUntil ?? null, o.state, o.withdrawn ? new Date() : null],
    );
    for (const c of controlIds) await t.dataSource.query(`INSERT INTO evidence_link (evidence_id, control_id) VALUES ($1, $2)`, [e.id, c]);
  }

  it('matches a hand-made scenario, per framework and per section', async () => {
    const { clientId, consultant, member } = await t.clientWithRoles();
    const api = (m: 'get' | 'post' | 'patch', p: string, b?: object) => t.http()[m](`${API}/clients/${clientId}${p}`).auth(consultant.token, { type: 'bearer' }).send(b);
    await api('post', '/frameworks', { framework: 'soc2' }).expect(201);
    const controls: Ctl[] = (await api('get', '/controls?pageSize=100').expect(200)).body.items;
    const cc6 = controls.filter((c) => c.section === 'CC6');
    const others = controls.filter((c) => c.section !== 'CC6');
    const set = (c: Ctl, body: object) => api('patch', `/controls/${c.id}`, body).expect(200);

    // CC6 (8 controls): 2 met, 1 implemented with expired accepted evidence, 1 implemented with only pending
    // evidence, 1 implemented with withdrawn accepted evidence, 1 in progress, 1 not applicable, 1 not started.
    for (const c of cc6.slice(0, 5)) await set(c, { status: 'implemented', ownerId: member.id });
    await evidence(clientId, member.id, [cc6[0].id], { state: 'accepted', validUntil: null });
    await evidence(clientId, member.id, [cc6[1].id], { state: 'accepted', validUntil: day(10) }); // met, expiring within 30 days
    await evidence(clientId, member.id, [cc6[2].id], { state: 'accepted', validUntil: day(-1) });
    await evidence(clientId, member.id, [cc6[3].id], { state: 'pending' });
    await evidence(clientId, member.id, [cc6[4].id], { state: 'accepted', withdrawn: true });
    await set(cc6[5], { status: 'in_progress', dueDate: day(-5) }); // overdue, unowned
    await set(cc6[6], { applicable: false, justification: 'No physical office' });
    await set(cc6[7], { dueDate: day(-1) }); // gap, overdue, unowned
    // Elsewhere: 2 in progress, 1 not applicable, one met control that is past its due date (not overdue).
    await set(others[0], { status: 'in_progress', ownerId: consultant.id });
    await set(others[1], { status: 'in_progress', ownerId: consultant.id });
    await set(others[2], { applicable: false, justification: 'Not a privacy-scoped system' });
    await set(others[3], { status: 'implemented', dueDate: day(-20), ownerId: member.id });
    await evidence(clientId, member.id, [others[3].id], { state: 'accepted', validUntil: day(400) });

    const expectCc6 = { met: 2, partial: 4, gap: 1, notApplicable: 1, applicable: 7, overdue: 2, unowned: 2, expiringEvidence: 1 };
    const totalMet = 3;
    const totalPartial = 6;
    const totalNa = 2;
    const applicable = 61 - totalNa;
    const expectTotal = {
      met: totalMet,
      partial: totalPartial,
      notApplicable: totalNa,
      gap: applicable - totalMet - totalPartial,
      applicable,
      overdue: 2,
      unowned: applicable - 5 - 3,
      expiringEvidence: 1,
      score: score(totalMet, totalPartial, applicable),
    };

    const r = (await api('get', '/readiness').expect(200)).body;
    expect(r.asOf).toBe(day(0));
    expect(r.frameworks).toHaveLength(1);
    const soc2 = r.frameworks[0];
    expect(soc2).toMatchObject({ framework: 'soc2', version: '2017 TSC (2022 points of focus)', ...expectTotal });
    const cc6Row = soc2.sections.find((s: { ref: string }) => s.ref === 'CC6');
    expect(cc6Row).toMatchObject({ title: expect.any(String), ...expectCc6, score: score(2, 4, 7) });
    // Sections add up to the framework.
    for (const k of ['met', 'partial', 'gap', 'notApplicable', 'applicable', 'overdue', 'unowned'] as const) {
      expect(soc2.sections.reduce((n: number, s: Record<string, number>) => n + s[k], 0)).toBe(soc2[k]);
    }
    expect(soc2.sections.map((s: { ref: string }) => s.ref).slice(0, 3)).toEqual(['CC1', 'CC2', 'CC3']);

    // The list's states agree with readiness.
    const met = (await api('get', '/controls?state=met').expect(200)).body;
    expect(met.total).toBe(totalMet);

    // The dashboard reports the same numbers in one call.
    const dash = (await t.http().get(`${API}/clients?include=readiness`).auth(consultant.token, { type: 'bearer' }).expect(200)).body;
    const mine = dash.items.find((c: { id: string }) => c.id === clientId);
    expect(mine.readiness).toEqual([expect.objectContaining({ framework: 'soc2', ...expectTotal })]);
  });

  it('reports an enrolled framework with nothing applicable as score null, and nothing for a client with no enrollment', async () => {
    const { clientId, consultant } = await t.clientWithRoles();
    const empty = (await t.http().get(`${API}/clients/${clientId}/readiness`).auth(consultant.token, { type: 'bearer' }).expect(200)).body;
    expect(empty.frameworks).toEqual([]);
    await t.http().post(`${API}/clients/${clientId}/frameworks`).auth(consultant.token, { type: 'bearer' }).send({ framework: 'hipaa' }).expect(201);
    await t.http().post(`${API}/clients/${clientId}/controls/bulk`).auth(consultant.token, { type: 'bearer' }).send({ filter: {}, set: { applicable: false, justification: 'Not a covered entity' } }).expect(200);
    const none = (await t.http().get(`${API}/clients/${clientId}/readiness`).auth(consultant.token, { type: 'bearer' }).expect(200)).body;
    expect(none.frameworks[0]).toMatchObject({ framework: 'hipaa', score: null, applicable: 0, notApplicable: 78 });
  });

  it('is readable by every role of the client and hidden from others', async () => {
    const { clientId, member, auditor, outsider } = await t.clientWithRoles();
    for (const u of [member, auditor]) await t.http().get(`${API}/clients/${clientId}/readiness`).auth(u.token, { type: 'bearer' }).expect(200);
    await t.http().get(`${API}/clients/${clientId}/readiness`).auth(outsider.token, { type: 'bearer' }).expect(404);
  });
});
