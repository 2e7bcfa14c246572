import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CatalogSyncService } from 'src/catalogs/catalog-sync.service';

import { API, TestApp, TestUser } from '../utils/app';

const enc = encodeURIComponent;

describe('catalogs', () => {
  let t: TestApp;
  let u: TestUser;
  beforeAll(async () => {
    t = await TestApp.create();
    u = await t.user();
  });
  afterAll(() => t.close());
  const get = (path: string) => t.http().get(`${API}${path}`).auth(u.token, { type: 'bearer' });

  it('lists the three frameworks with versions and the trackable counts of the reference lists', async () => {
    const res = await get('/frameworks').expect(200);
    const byKey = Object.fromEntries(res.body.map((f: { key: string }) => [f.key, f]));
    expect(byKey.soc2).toMatchObject({ version: '2017 TSC (2022 points of focus)', requirementCount: 61 });
    expect(byKey.hipaa).toMatchObject({ requirementCount: 78 });
    expect(byKey['pci-dss']).toMatchObject({ version: '4.0.1', requirementCount: 280 });
  });

  it('finds a requirement by URL-encoded ref and by alias, with its children and mappings', async () => {
    const spec = await get(`/frameworks/hipaa/requirements/${enc('164.308(a)(1)(ii)(A)')}`).expect(200);
    expect(spec.body).toMatchObject({ ref: '164.308(a)(1)(ii)(A)', parent: '164.308(a)(1)(i)', attributes: { implementation: 'required', safeguard: 'administrative' } });
    const std = await get(`/frameworks/hipaa/requirements/${enc('164.308(a)(1)')}`).expect(200);
    expect(std.body.ref).toBe('164.308(a)(1)(i)');
    expect(std.body.children.map((c: { ref: string }) => c.ref)).toContain('164.308(a)(1)(ii)(A)');
    expect(std.body.mappings.length).toBeGreaterThan(0);
    expect(std.body.mappings[0]).toMatchObject({ fromFramework: 'hipaa', fromRef: '164.308(a)(1)(i)', strength: expect.stringMatching(/equivalent|related/) });

    const cc61 = await get('/frameworks/soc2/requirements/CC6.1').expect(200);
    expect(cc61.body.evidenceGuidance.length).toBeGreaterThan(0);
    expect(cc61.body.sectionPath.map((s: { ref: string }) => s.ref)).toEqual(['CC', 'CC6']);
    await get('/frameworks/soc2/requirements/CC99.9').expect(404);
  });

  it('filters by section (including everything beneath it) and by attributes, and paginates', async () => {
    const cc6 = await get('/frameworks/soc2/requirements?section=CC6&pageSize=100').expect(200);
    expect(cc6.body.total).toBe(8);
    const security = await get('/frameworks/soc2/requirements?section=CC&pageSize=100').expect(200);
    expect(security.body.total).toBe(33);
    const addressable = await get('/frameworks/hipaa/requirements?implementation=addressable&pageSize=100').expect(200);
    expect(addressable.body.total).toBe(22);
    const technical = await get('/frameworks/hipaa/requirements?safeguard=technical&kind=standard').expect(200);
    expect(technical.body.total).toBe(5);
    const sp = await get('/frameworks/pci-dss/requirements?serviceProviderOnly=true&pageSize=100').expect(200);
    expect(sp.body.items.every((r: { attributes: { serviceProviderOnly: boolean } }) => r.attributes.serviceProviderOnly)).toBe(true);
    const req8 = await get('/frameworks/pci-dss/requirements?principalRequirement=8&pageSize=10&page=3').expect(200);
    expect(req8.body).toMatchObject({ total: 29, page: 3, pageSize: 10 });
    expect(req8.body.items).toHaveLength(9);
  });

  it('searches ref, title and description', async () => {
    const mfa = await get(`/frameworks/pci-dss/requirements?search=${enc('multi-factor authentication')}`).expect(200);
    expect(mfa.body.items.map((r: { ref: string }) => r.ref)).toContain('8.4.2');
    const byRef = await get('/frameworks/pci-dss/requirements?search=8.3.6').expect(200);
    expect(byRef.body.items[0].ref).toBe('8.3.6');
    const none = await get(`/frameworks/soc2/requirements?search=${enc('zzqx nothing matches')}`).expect(200);
    expect(none.body).toMatchObject({ total: 0, items: [] });
  });

  it('lists mappings oriented the way they are asked for', async () => {
    const a = await get('/mappings?from=soc2&to=hipaa&pageSize=500').expect(200);
    const b = await get('/mappings?from=hipaa&to=soc2&pageSize=500').expect(200);
    expect(a.body.total).toBeGreaterThan(100);
    expect(b.body.total).toBe(a.body.total);
    expect(a.body.items.every((m: { fromFramework: string; toFramework: string }) => m.fromFramework === 'soc2' && m.toFramework === 'hipaa')).toBe(true);
  });

  it.each([
    ['/frameworks/iso27001/requirements', 404],
    ['/frameworks/ISO 27001/requirements', 400],
    ['/frameworks/soc2/requirements?series=CC10', 400],
    ['/frameworks/soc2/requirements?pageSize=0', 400],
    ['/frameworks/soc2/requirements?pageSize=abc', 400],
    ['/frameworks/soc2/requirements?serviceProviderOnly=maybe', 400],
    ['/frameworks/soc2/requirements?unknown=1', 400],
    [`/frameworks/soc2/requirements?search=${'x'.repeat(500)}`, 400],
    ['/mappings?from=NIST!', 400],
    [`/frameworks/soc2/requirements/${enc("'; DROP TABLE requirement; --")}`, 400],
  ])('answers %s with %i', async (path, status) => {
    const res = await get(path).expect(status);
    expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
  });

  it('refuses anonymous callers', async () => {
    await t.http().get(`${API}/frameworks`).expect(401);
  });
});

describe('catalog sync', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const counts = async () =>
    (await t.dataSource.query(`SELECT (SELECT count(*) FROM requirement)::int AS r, (SELECT count(*) FROM requirement_mapping)::int AS m,
            (SELECT max(updated_at) FROM requirement) AS u`))[0];

  it('changes nothing on a second load of the same files', async () => {
    const before = await counts();
    const reports = await t.app.get(CatalogSyncService).sync(join(process.cwd(), 'controls'));
    expect(reports.every((r) => r.skipped)).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('updates only what changed, retires a requirement that disappears, and records the load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crt-catalogs-'));
    cpSync(join(process.cwd(), 'controls'), dir, { recursive: true });
    const sync = t.app.get(CatalogSyncService);
    const file = join(dir, 'soc2.yaml');
    const original = readFileSync(file, 'utf8');

    // A client's control points at P8.1 (simulated): it must never be deleted.
    const changed = original.replace(/(- ref: CC1\.1\n\s+title: ).*\n/, '$1Integrity and ethics, reworded\n');
    expect(changed).not.toEqual(original);
    const start = changed.indexOf('  - ref: P8.1');
    writeFileSync(file, changed.slice(0, start).trimEnd() + '\n');
    const mappingFile = join(dir, 'mappings', 'soc2-hipaa.yaml');
    writeFileSync(mappingFile, readFileSync(mappingFile, 'utf8').replace(/\n {2}- from: P8\.1[\s\S]*?(?=\n {2}- from|\n*$)/g, ''));
    const pciMapping = join(dir, 'mappings', 'soc2-pci-dss.yaml');
    writeFileSync(pciMapping, readFileSync(pciMapping, 'utf8').replace(/\n {2}- from: P8\.1[\s\S]*?(?=\n {2}- from|\n*$)/g, ''));

    const reports = await sync.sync(dir);
    const soc2 = reports.find((r) => r.file === 'soc2.yaml')!;
    expect(soc2.skipped).toBe(false);
    expect(soc2.requirements).toEqual({ inserted: 0, updated: 1, retired: soc2.requirements!.retired });
    expect(soc2.requirements!.retired).toBeGreaterThanOrEqual(1);
    expect(reports.find((r) => r.file === 'hipaa.yaml')!.skipped).toBe(true);

    const [p81] = await t.dataSource.query(`SELECT retired_at FROM requirement r JOIN framework f ON f.id = r.framework_id WHERE f.key = 'soc2' AND r.ref = 'P8.1'`);
    expect(p81.retired_at).not.toBeNull();
    const [load] = await t.dataSource.query(`SELECT file, version, sha256 FROM catalog_load WHERE file = 'soc2.yaml' ORDER BY id DESC LIMIT 1`);
    expect(load).toMatchObject({ version: '2017 TSC (2022 points of focus)', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const u = await t.user();
    const list = await t.http().get(`${API}/frameworks`).auth(u.token, { type: 'bearer' }).expect(200);
    expect(list.body.find((f: { key: string }) => f.key === 'soc2')).toMatchObject({ requirementCount: 61 - soc2.requirements!.retired, retiredCount: soc2.requirements!.retired });

    // Putting the original back revives the retired requirement in place (same id).
    writeFileSync(file, original);
    cpSync(join(process.cwd(), 'controls', 'mappings'), join(dir, 'mappings'), { recursive: true });
    const back = await sync.sync(dir);
    expect(back.find((r) => r.file === 'soc2.yaml')!.requirements).toMatchObject({ inserted: 0 });
    const [revived] = await t.dataSource.query(`SELECT retired_at FROM requirement r JOIN framework f ON f.id = r.framework_id WHERE f.key = 'soc2' AND r.ref = 'P8.1'`);
    expect(revived.retired_at).toBeNull();
  });

  it('loads a catalog a consultant drops into the folder the same way, and lets clients enroll in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crt-catalogs-'));
    cpSync(join(process.cwd(), 'controls'), dir, { recursive: true });
    cpSync(join(process.cwd(), 'test', 'fixtures', 'iso27001.yaml'), join(dir, 'iso27001.yaml'));
    const reports = await t.app.get(CatalogSyncService).sync(dir);
    expect(reports.find((r) => r.file === 'iso27001.yaml')).toMatchObject({ skipped: false, requirements: { inserted: 2, updated: 0, retired: 0 } });
    const c = await t.clientWithRoles();
    const auth = { type: 'bearer' as const };
    const fw = await t.http().get(`${API}/frameworks/iso27001`).auth(c.consultant.token, auth).expect(200);
    expect(fw.body).toMatchObject({ key: 'iso27001', version: '2022', requirementCount: 2, sections: [{ ref: 'A.5' }, { ref: 'A.8' }] });
    const enrolled = await t.http().post(`${API}/clients/${c.clientId}/frameworks`).auth(c.consultant.token, auth).send({ framework: 'iso27001' }).expect(201);
    expect(enrolled.body.controlCount).toBe(2);
    const readiness = await t.http().get(`${API}/clients/${c.clientId}/readiness`).auth(c.consultant.token, auth).expect(200);
    expect(readiness.body.frameworks[0]).toMatchObject({ framework: 'iso27001', gap: 2, score: 0 });
  });

  it('refuses invalid files without touching the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crt-catalogs-'));
    cpSync(join(process.cwd(), 'controls'), dir, { recursive: true });
    writeFileSync(join(dir, 'hipaa.yaml'), readFileSync(join(dir, 'hipaa.yaml'), 'utf8').replace('section: "164.310"', 'section: "999.999"'));
    const before = await counts();
    await expect(t.app.get(CatalogSyncService).sync(dir)).rejects.toThrow(/unknown section 999.999/);
    expect(await counts()).toEqual(before);
  });
});

describe('start-up with a malformed catalog', () => {
  it('refuses to start, naming the file and the path inside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crt-catalogs-'));
    cpSync(join(process.cwd(), 'controls'), dir, { recursive: true });
    writeFileSync(join(dir, 'pci-dss.yaml'), readFileSync(join(dir, 'pci-dss.yaml'), 'utf8').replace('serviceProviderOnly: false', 'serviceProviderOnly: sometimes'));
    await expect(TestApp.create({ CATALOGS_DIR: dir })).rejects.toThrow(/pci-dss\.yaml: \/requirements\/\d+\/attributes\/serviceProviderOnly must be boolean/);
  });
});
