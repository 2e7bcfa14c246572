import { API, TestApp } from '../utils/app';

type Operation = { method: string; path: string };

const HOSTILE_BODIES: [string, string | object][] = [
  ['malformed JSON', '{"name": "x",'],
  ['JSON array', '[1,2,3]'],
  ['JSON string', '"just a string"'],
  ['wrong types', { name: 42, email: ['x'], role: { $ne: null }, status: true, dueDate: 'tomorrow', controlIds: 'all' }],
  ['unknown fields', { __proto__: { admin: true }, constructor: 'x', unknownField: 'x', isAdmin: 'true' }],
  ['huge strings', { name: 'x'.repeat(100_000), email: `${'a'.repeat(5000)}@x.io`, description: 'y'.repeat(200_000), notes: 'z'.repeat(200_000) }],
  ['nulls', { name: null, email: null, role: null, password: null }],
];

const BAD_IDS = ['not-a-uuid', '1', "'%20OR%201=1", '00000000-0000-4000-8000-000000000000', '%00', 'a'.repeat(300)];

/**
 * Walks every route of the OpenAPI document as an admin and as a consultant and sends it malformed JSON, wrong types,
 * unknown fields, huge strings and bad ids. Nothing a client sends may produce a 500.
 */
describe('hostile input on every route', () => {
  let t: TestApp;
  let operations: Operation[];
  beforeAll(async () => {
    t = await TestApp.create();
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method, path })));
  });
  afterAll(() => t.close());

  it('describes every API route in OpenAPI', () => {
    expect(operations.length).toBeGreaterThan(15);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(['post /api/v1/auth/login', 'get /health']));
  });

  it('never answers 5xx', async () => {
    const { clientId, consultant, admin } = await t.clientWithRoles();
    const failures: string[] = [];
    for (const who of [admin, consultant]) {
      for (const op of operations) {
        const paths = new Set<string>();
        for (const id of BAD_IDS) {
          paths.add(op.path.replace('{clientId}', clientId).replace(/\{[^}]+\}/g, id));
          paths.add(op.path.replace(/\{[^}]+\}/g, id));
        }
        for (const path of paths) {
          const bodies: (string | object | undefined)[] = ['get', 'delete'].includes(op.method) ? [undefined] : HOSTILE_BODIES.map(([, b]) => b);
          for (const body of bodies) {
            let req = t.http()[op.method as 'get'](`${path}?page=-1&pageSize=abc&search=${'%'.repeat(3)}`).auth(who.token, { type: 'bearer' });
            if (body !== undefined) req = req.set('content-type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
            const res = await req;
            if (res.status >= 500) failures.push(`${op.method.toUpperCase()} ${path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            if (res.status >= 400 && !(res.body && typeof res.body.message === 'string' && res.body.statusCode === res.status)) {
              if (!String(res.headers['content-type']).includes('text/html')) failures.push(`${op.method.toUpperCase()} ${path} -> ${res.status} without the error shape`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers an unknown route with the error shape', async () => {
    const res = await t.http().get(`${API}/nope`).expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});
