import { seedDemo } from 'src/demo/demo-seed';

import { API, TestApp } from '../utils/app';

type Framework = { framework: string; score: number; notApplicable: number; overdue: number; expiringEvidence: number; met: number; partial: number };

describe('npm run demo (seedDemo)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('adds Northwind Health (demo) through the services, and only once', async () => {
    const first = await seedDemo(t.app);
    expect(first.created).toBe(true);
    const clientId = first.clientId;

    // Checked through the API, as the first admin (the demo's consultant) sees it.
    const [admin] = (await t.dataSource.query(`SELECT u.id, u.email FROM client_member m JOIN app_user u ON u.id = m.user_id WHERE m.client_id = $1 AND m.role = 'consultant'`, [
      clientId,
    ])) as { id: string; email: string }[];
    expect(admin).toBeDefined();
    const [{ is_admin: isAdmin }] = await t.dataSource.query(`SELECT is_admin FROM app_user WHERE id = $1`, [admin.id]);
    expect(isAdmin).toBe(true);
    const get = async (path: string) => (await t.http().get(`${API}${path}`).auth(t.token(admin), { type: 'bearer' }).expect(200)).body;

    const client = await get(`/clients/${clientId}`);
    expect(client.name).toBe('Northwind Health (demo)');
    const enrollments: { framework: string }[] = await get(`/clients/${clientId}/frameworks`);
    expect(enrollments.map((e) => e.framework).sort()).toEqual(['hipaa', 'soc2']);

    const members: { role: string }[] = await get(`/clients/${clientId}/members`);
    expect(members.map((m) => m.role).sort()).toEqual(['consultant', 'member', 'member']);

    const readiness: { frameworks: Framework[] } = await get(`/clients/${clientId}/readiness`);
    expect(readiness.frameworks).toHaveLength(2);
    for (const f of readiness.frameworks) {
      expect(f.score).toBeGreaterThan(0);
      expect(f.met).toBeGreaterThan(0);
      expect(f.partial).toBeGreaterThan(0);
      expect(f.notApplicable).toBeGreaterThan(0);
      expect(f.overdue).toBeGreaterThan(0);
    }
    expect(readiness.frameworks.reduce((n, f) => n + f.expiringEvidence, 0)).toBeGreaterThan(0);

    const notApplicable: { items: { justification: string | null }[] } = await get(`/clients/${clientId}/controls?applicable=false&pageSize=100`);
    expect(notApplicable.items.length).toBeGreaterThan(0);
    for (const c of notApplicable.items) expect(c.justification?.length).toBeGreaterThan(10);
    const owned: { total: number } = await get(`/clients/${clientId}/controls?unowned=false&pageSize=1`);
    expect(owned.total).toBeGreaterThan(50);

    const evidence: { items: { reviewState: string }[] } = await get(`/clients/${clientId}/evidence?pageSize=100`);
    const states = evidence.items.map((e) => e.reviewState);
    expect(states.filter((s) => s === 'accepted').length).toBeGreaterThanOrEqual(2);
    expect(states).toContain('pending');

    const second = await seedDemo(t.app);
    expect(second).toEqual({ created: false, clientId, name: 'Northwind Health (demo)' });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM client WHERE lower(name) = lower('Northwind Health (demo)')`);
    expect(n).toBe(1);
    const [{ e }] = await t.dataSource.query(`SELECT count(*)::int AS e FROM evidence WHERE client_id = $1`, [clientId]);
    expect(e).toBe(evidence.items.length);
  });
});
