import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';

import { API, day, TestApp, TestUser } from '../utils/app';
import { BROWSER_TEST_MS, browserAvailable, launchBrowser, newContext, pageOverflowsAt, screenshots, seriousA11yViolations, signIn } from '../utils/browser';

// Browser globals used inside page.evaluate (the project compiles without the DOM library).
declare const document: { activeElement: { id: string; name?: string } | null; body: { dataset: Record<string, string | undefined> } };
declare class DataTransfer {
  readonly items: { add(file: unknown): void };
}

type Ctl = { id: string; ref: string; framework: string; status: string; state: string; ownerId: string | null; applicable: boolean; justification: string | null };

/**
 * The web UI end to end, in Debian's Chromium: the consultant's, the member's and the auditor's screens, driven like
 * a person would, with every page checked by axe-core and photographed at 1280 and 390 px
 * (test-output/screenshots). One browser for the whole file; each user gets a fresh context (own cookies).
 */
(browserAvailable() ? describe : describe.skip)('admin web UI (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await TestApp.create();
    await t.app.listen(0);
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, BROWSER_TEST_MS);

  const api = (user: { token: string }) => ({
    get: (p: string) => t.http().get(`${API}${p}`).auth(user.token, { type: 'bearer' }),
    post: (p: string, b?: object) => t.http().post(`${API}${p}`).auth(user.token, { type: 'bearer' }).send(b),
  });

  async function controlsOf(user: TestUser, clientId: string, query: Record<string, string> = {}): Promise<Ctl[]> {
    const q = new URLSearchParams({ pageSize: '500', ...query });
    return (await api(user).get(`/clients/${clientId}/controls?${q}`).expect(200)).body.items;
  }

  async function soc2Score(user: TestUser, clientId: string): Promise<string> {
    const r = await api(user).get(`/clients/${clientId}/readiness`).expect(200);
    return `${(r.body.frameworks as { framework: string; score: number }[]).find((f) => f.framework === 'soc2')!.score.toFixed(1)}%`;
  }

  async function asUser(user: TestUser) {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signIn(page, user.email);
    return { context, page };
  }

  /** Accessibility (no serious or critical axe violation), no sideways scrolling at 390 px, and screenshots. */
  async function inspect(page: Page, name: string) {
    expect({ page: name, violations: await seriousA11yViolations(page) }).toEqual({ page: name, violations: [] });
    await page.setViewportSize({ width: 390, height: 900 });
    expect({ page: name, at390: await seriousA11yViolations(page) }).toEqual({ page: name, at390: [] });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect({ page: name, overflowsAt390: await pageOverflowsAt(page, 390) }).toEqual({ page: name, overflowsAt390: false });
    await screenshots(page, name);
  }

  const text = (page: Page, selector: string, hasText: string | RegExp) => page.locator(selector, { hasText }).first().waitFor();

  /** Closes a browser profile after checking its pages threw nothing and broke no CSP rule (4xx loads are expected). */
  async function closeClean(context: { errors: string[]; close(): Promise<void> }) {
    expect(context.errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e))).toEqual([]);
    await context.close();
  }

  it('a consultant sets up a client, a member uploads evidence by drag and drop, the consultant accepts it, and readiness moves', async () => {
    const consultant = await t.user({ name: 'Casey Consultant', canCreateClients: true });
    const member = await t.user({ name: 'Morgan Member' });
    const auditor = await t.user({ name: 'Avery Auditor' });
    const suffix = Date.now().toString(36);
    const other = await t.user({ canCreateClients: true });
    await api(other).post('/clients', { name: `Acme Health ${suffix}` }).expect(201);

    // Signing in: an unauthenticated page request goes to the sign-in page.
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    await inspect(page, 'login');
    await page.getByLabel('Email').fill(consultant.email);
    await page.getByLabel('Password').fill('wrong password, surely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await text(page, '.flash-error', 'Email or password is incorrect');
    await signIn(page, consultant.email);
    const session = (await context.cookies()).find((c) => c.name === 'crt_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    // Empty dashboard says what to do; a blank name is refused beside the field. Another consultant's client of the
    // same name is no obstacle (and not revealed).
    await text(page, 'h2', 'No clients yet');
    await inspect(page, 'dashboard-empty');
    await page.getByLabel('Name').fill('   ');
    await page.getByRole('button', { name: 'Create client' }).click();
    await text(page, '#name-error', /name/);
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Name').fill(`Acme Health ${suffix}`);
    await Promise.all([page.waitForURL(/\/ui\/clients\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Create client' }).click()]);
    const clientId = new URL(page.url()).pathname.split('/')[3];

    // A new client explains the next step; enroll SOC 2 and PCI DSS.
    await text(page, 'h2', 'Not enrolled in any framework yet');
    await inspect(page, 'client-empty');
    for (const key of ['soc2', 'pci-dss']) {
      await page.getByLabel('Framework', { exact: true }).selectOption(key);
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Enroll', exact: true }).click()]);
      await page.locator(`#fw-${key}`).waitFor();
    }
    expect(await page.locator('section.framework').count()).toBe(2);

    // Members: add the member and the auditor by email.
    await page.getByRole('link', { name: 'Members' }).click();
    for (const [who, role] of [[member, 'member'], [auditor, 'auditor']] as const) {
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Role').selectOption(role);
      await page.getByRole('button', { name: 'Add member' }).click();
      await text(page, '.flash-notice', `${who.email} now has the ${role} role`);
    }
    await inspect(page, 'members');

    // Control matrix: all controls, then filters (htmx, URL kept in sync).
    await page.getByRole('link', { name: 'Controls' }).click();
    await text(page, '#result-count', '341 controls');
    await page.locator('#f-framework').selectOption('soc2');
    await page.waitForURL(/framework=soc2/);
    await text(page, '#result-count', '61 controls match');
    await page.locator('#f-owner').selectOption('unowned');
    await page.waitForURL(/owner=unowned/);
    await text(page, '#result-count', '61 controls match');
    await inspect(page, 'controls');

    // Bulk: select every shown control, give them an owner and a due date.
    await page.locator('[data-select-all]').check();
    await text(page, '#bulk-count', '61 selected');
    await page.locator('#b-owner').selectOption({ label: 'Morgan Member' });
    await page.locator('#b-due').fill(day(30));
    await page.getByRole('button', { name: 'Apply to selected' }).click();
    await text(page, '#matrix .flash-notice', 'Updated 61 of 61 selected controls');
    await text(page, '#matrix', 'No control matches these filters');
    const soc2 = await controlsOf(consultant, clientId, { framework: 'soc2' });
    expect(soc2.every((c) => c.ownerId === member.id)).toBe(true);

    // Inline edit from the keyboard: not applicable needs a justification, asked for beside the field.
    const scoped = soc2.find((c) => c.ref === 'CC9.2')!;
    const target = soc2.find((c) => c.ref === 'CC6.1')!;
    await page.goto(`/ui/clients/${clientId}/controls?framework=soc2`);
    await page.getByRole('link', { name: 'Edit SOC 2 CC9.2' }).focus();
    await page.keyboard.press('Enter');
    const row = page.locator(`#row-${scoped.id}.editing`);
    await row.waitFor();
    await page.waitForFunction(() => document.activeElement?.name === 'status');
    expect(await row.locator('[data-justification]').isHidden()).toBe(true);
    await row.getByLabel('Applicability').selectOption('false');
    expect(await page.evaluate(() => document.activeElement?.name)).toBe('justification');
    await row.getByRole('button', { name: 'Save' }).click();
    await text(page, `#e-${scoped.id}-justification-error`, 'needs a justification');
    expect(await page.locator(`#e-${scoped.id}-just`).getAttribute('aria-invalid')).toBe('true');
    await page.waitForFunction((id) => document.activeElement?.id === id, `e-${scoped.id}-just`);
    await inspect(page, 'controls-edit');
    await page.locator(`#row-${scoped.id} textarea[name="justification"]`).fill('No vendors or business partners handle client data.');
    await page.locator(`#row-${scoped.id}`).getByRole('button', { name: 'Save' }).click();
    await text(page, `#row-${scoped.id}:not(.editing)`, 'No vendors or business partners handle client data.');
    await text(page, `#row-${scoped.id}`, 'Not applicable');
    expect(await api(consultant).get(`/clients/${clientId}/controls/${scoped.id}`).expect(200).then((r) => r.body)).toMatchObject({
      applicable: false,
      justification: 'No vendors or business partners handle client data.',
    });

    // The member sets a control they own to implemented (they may change only status and notes).
    const m = await asUser(member);
    await m.page.goto(`/ui/clients/${clientId}/controls?framework=soc2`);
    await m.page.getByRole('link', { name: 'Edit SOC 2 CC6.1' }).click();
    const mrow = m.page.locator(`#row-${target.id}.editing`);
    await mrow.waitFor();
    expect(await mrow.locator('select[name="ownerId"]').count()).toBe(0);
    await mrow.getByLabel('Status').selectOption('implemented');
    await mrow.getByRole('button', { name: 'Save' }).click();
    await text(m.page, `#row-${target.id}:not(.editing)`, 'Implemented');
    await text(m.page, `#row-${target.id} .badge`, 'Partial');

    // The dashboard shows the API's score (the same numbers everywhere): implemented without evidence is partial.
    await page.goto('/');
    const before = await page.locator('[data-framework="soc2"]').first().textContent();
    expect(before).toBe(await soc2Score(consultant, clientId));

    // The member drags a file onto the evidence page; it uploads with a progress bar, then gets linked.
    await m.page.getByRole('link', { name: 'Evidence' }).click();
    await text(m.page, 'h2', 'No evidence yet');
    await m.page.waitForLoadState('load'); // app.js (deferred) has wired the drop zone
    await inspect(m.page, 'evidence-empty');
    const drop = await m.page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Quarterly access review: every account checked by its manager.\n'], 'access-review-q3.txt', { type: 'text/plain' }));
      return dt;
    });
    for (const type of ['dragenter', 'dragover', 'drop']) await m.page.dispatchEvent('[data-dropzone]', type, { dataTransfer: drop });
    await text(m.page, '[data-file-name]', 'access-review-q3.txt');
    expect(await m.page.getByLabel('Title').inputValue()).toBe('access-review-q3');
    await m.page.getByLabel('Title').fill('Q3 access review');
    await m.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await text(m.page, '[data-upload-status]', 'Uploaded “Q3 access review”');
    expect(await m.page.locator('#upload-progress').evaluate((p) => (p as unknown as { value: number }).value)).toBe(100);
    const item = m.page.locator('.evidence-item', { hasText: 'Q3 access review' });
    await item.waitFor();
    const evidenceId = (await item.getAttribute('id'))!.slice(3);
    await item.getByRole('button', { name: 'Link to controls…' }).click();
    await m.page.locator(`#lk-${evidenceId}`).waitFor();
    await inspect(m.page, 'evidence-link');
    await m.page.locator(`#lk-${evidenceId}`).selectOption(target.id);
    await m.page.locator(`#link-${evidenceId}`).getByRole('button', { name: 'Link' }).click();
    await text(m.page, `#ev-${evidenceId} .chip`, 'SOC 2 CC6.1');
    await inspect(m.page, 'evidence-member');
    await closeClean(m.context);

    // The consultant accepts it with a comment; the control is now met and the dashboard moves.
    await page.goto(`/ui/clients/${clientId}/evidence`);
    const review = page.locator(`#ev-${evidenceId}`);
    await review.getByLabel('Comment').fill('Matches the access policy.');
    await review.getByRole('button', { name: 'Accept Q3 access review' }).click();
    await text(page, `#ev-${evidenceId} .badge-accepted`, 'Accepted');
    await inspect(page, 'evidence');
    await page.goto('/');
    const after = await page.locator('[data-framework="soc2"]').first().textContent();
    expect(after).not.toBe(before);
    expect(after).toBe(await soc2Score(consultant, clientId));
    await inspect(page, 'dashboard');

    // The control page: requirement, mapped requirements with states, linked evidence, history.
    await page.goto(`/ui/clients/${clientId}/controls/${target.id}`);
    await text(page, '.badge-met', 'Met');
    await text(page, '.evidence-mini', 'Q3 access review');
    await text(page, '.history', 'Status: Not started → Implemented');
    await text(page, '.history', 'Owner: — → Morgan Member');
    expect(await page.locator('#map-h + .table-wrap tbody tr').count()).toBeGreaterThan(0);
    await inspect(page, 'control');

    // Client overview with numbers; reports page and the PDF download.
    await page.goto(`/ui/clients/${clientId}`);
    await inspect(page, 'client');
    await page.getByRole('link', { name: 'Reports' }).click();
    await inspect(page, 'reports');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-report="pdf"]').click()]);
    expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download evidence package (ZIP)' }).click()]);
    expect(readFileSync(await zip.path()).subarray(0, 2).toString()).toBe('PK');
    await closeClean(context);
  }, BROWSER_TEST_MS);

  it('an auditor sees the same pages with no edit control, and the server refuses edits anyway', async () => {
    const c = await t.clientWithRoles();
    await api(c.consultant).post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(201);
    const [ctl] = await controlsOf(c.consultant, c.clientId, { pageSize: '1' });
    await t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' })
      .field('title', 'Firewall rules export').field('controlIds', ctl.id).attach('file', Buffer.from('allow 443\ndeny all\n'), 'fw.txt').expect(201);

    // A deep link while signed out comes back to the same page after signing in.
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await page.goto(`/ui/clients/${c.clientId}/controls`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, c.auditor.email);
    expect(new URL(page.url()).pathname).toBe(`/ui/clients/${c.clientId}/controls`);

    const editControls = 'main form[method="post"], main [hx-post], main [data-upload-url], main input[name="ids"], main a[hx-get$="/edit"]';
    for (const path of ['', '/controls', `/controls/${ctl.id}`, '/evidence', '/members', '/reports']) {
      await page.goto(`/ui/clients/${c.clientId}${path}`);
      await text(page, '.readonly-note', 'Read-only');
      expect({ path, editControls: await page.locator(editControls).count() }).toEqual({ path, editControls: 0 });
    }
    await text(page, 'a[download]', 'PDF, all frameworks');
    await page.goto(`/ui/clients/${c.clientId}/controls`);
    await inspect(page, 'controls-auditor');

    // Direct requests with a valid CSRF token: refused by role, nothing changes.
    const refused = await page.evaluate(async ({ clientId, controlId }) => {
      const token = document.body.dataset.csrfToken!;
      const form = { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token };
      const ui = await fetch(`/ui/clients/${clientId}/controls/${controlId}`, { method: 'POST', headers: form, body: 'status=implemented' });
      const bulk = await fetch(`/ui/clients/${clientId}/controls/bulk`, { method: 'POST', headers: form, body: `ids=${controlId}&status=implemented` });
      const apiPatch = await fetch(`/api/v1/clients/${clientId}/controls/${controlId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ status: 'implemented' }),
      });
      return [ui.status, bulk.status, apiPatch.status];
    }, { clientId: c.clientId, controlId: ctl.id });
    expect(refused).toEqual([403, 403, 403]);
    expect((await api(c.consultant).get(`/clients/${c.clientId}/controls/${ctl.id}`).expect(200)).body.status).toBe('not_started');
    await closeClean(context);
  }, BROWSER_TEST_MS);

  it('UI routes refuse what the API refuses: 403 by role, 404 for outsiders, 400 for malformed ids; nothing changes', async () => {
    const c = await t.clientWithRoles();
    await api(c.consultant).post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(201);
    const [ctl] = await controlsOf(c.consultant, c.clientId, { pageSize: '1' });
    const upload = await t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' })
      .field('title', 'Policy').attach('file', Buffer.from('policy text\n'), 'policy.txt').expect(201);
    const ev = upload.body.id as string;

    /** A signed-in browser session without a browser: session cookie, CSRF cookie and token from a page. */
    async function session(user: TestUser) {
      const home = await t.http().get('/').set('Cookie', `crt_session=${user.token}`).expect(200);
      const csrf = (home.headers['set-cookie'] as unknown as string[]).map((x) => x.split(';')[0]).find((x) => x.startsWith('crt_csrf='))!;
      const token = /data-csrf-token="([^"]+)"/.exec(home.text)![1];
      const cookie = `crt_session=${user.token}; ${csrf}`;
      return {
        post: (path: string, body: object) => t.http().post(path).set('Cookie', cookie).set('x-csrf-token', token).type('form').send(body),
        get: (path: string) => t.http().get(path).set('Cookie', cookie),
      };
    }
    const [consultant, member, auditor, outsider] = await Promise.all([c.consultant, c.member, c.auditor, c.outsider].map(session));
    const base = `/ui/clients/${c.clientId}`;
    const posts: [string, object, ('member' | 'auditor')[]][] = [
      [`${base}/frameworks`, { framework: 'hipaa' }, ['member', 'auditor']],
      [`${base}/frameworks/soc2/unenroll`, {}, ['member', 'auditor']],
      [`${base}/controls/bulk`, { ids: ctl.id, status: 'implemented' }, ['member', 'auditor']],
      [`${base}/controls/${ctl.id}`, { status: 'implemented' }, ['member', 'auditor']],
      [`${base}/members`, { email: 'someone@test.local', role: 'member' }, ['member', 'auditor']],
      [`${base}/members/${c.member.id}/remove`, {}, ['member', 'auditor']],
      [`${base}/evidence/${ev}/review`, { decision: 'accepted' }, ['member', 'auditor']],
      [`${base}/evidence/${ev}/withdraw`, { reason: 'no' }, ['member', 'auditor']],
      [`${base}/evidence/${ev}/links`, { controlIds: ctl.id }, ['auditor']],
      [`${base}/evidence/${ev}/unlink`, { controlIds: ctl.id }, ['auditor']],
      [`${base}/controls/${ctl.id}/evidence`, { evidenceId: ev }, ['auditor']],
      [`${base}/controls/${ctl.id}/evidence/${ev}/unlink`, {}, ['auditor']],
    ];
    for (const [path, body, refused] of posts) {
      const who = { member, auditor };
      for (const role of refused) expect({ path, role, status: (await who[role].post(path, body)).status }).toEqual({ path, role, status: 403 });
      expect({ path, status: (await outsider.post(path, body)).status }).toEqual({ path, status: 404 });
    }
    expect((await member.get(`${base}/reports`)).status).toBe(403);
    expect((await auditor.get(`${base}/controls/${ctl.id}/edit`)).status).toBe(403);
    for (const s of [consultant, member, auditor]) expect((await s.get('/ui/users')).status).toBe(403);
    expect((await consultant.post('/ui/users', { email: 'x@test.local', name: 'X', password: 'long enough password' })).status).toBe(403);
    expect((await consultant.get(`/ui/clients/${c.clientId.slice(0, 8)}/controls`)).status).toBe(400);
    expect((await consultant.get(`${base}/controls/not-a-uuid`)).status).toBe(400);
    expect((await consultant.get(`${base}/controls/${randomUUID()}`)).status).toBe(404);
    expect((await consultant.post(`${base}/controls/${ctl.id}/evidence`, { evidenceId: 'nope' })).status).toBe(400);
    expect((await consultant.post(`${base}/frameworks`, { framework: 'Not a key!' })).status).toBe(400);
    // A key no catalog has (catalogs.e2e-spec loads iso27001 into the run's shared database).
    const unknown = await consultant.post(`${base}/frameworks`, { framework: 'never-loaded' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Framework never-loaded is not loaded');

    const after = (await api(c.consultant).get(`/clients/${c.clientId}/controls/${ctl.id}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'not_started', evidence: [] });
    expect((await api(c.consultant).get(`/clients/${c.clientId}/members`).expect(200)).body).toHaveLength(3);
    expect((await api(c.consultant).get(`/clients/${c.clientId}/evidence/${ev}`).expect(200)).body).toMatchObject({ reviewState: 'pending', withdrawnAt: null });
    expect((await api(c.consultant).get(`/clients/${c.clientId}/frameworks`).expect(200)).body.map((f: { framework: string }) => f.framework)).toEqual(['soc2']);
  }, BROWSER_TEST_MS);

  it('CSRF: cookie-authenticated unsafe requests need the token; bearer-token API calls do not', async () => {
    const user = await t.user({ canCreateClients: true });
    const { context, page } = await asUser(user);
    const statuses = await page.evaluate(async () => {
      const token = document.body.dataset.csrfToken!;
      const json = { 'content-type': 'application/json' };
      const noToken = await fetch('/api/v1/clients', { method: 'POST', headers: json, body: JSON.stringify({ name: `No token ${Math.random()}` }) });
      const wrongToken = await fetch('/api/v1/clients', { method: 'POST', headers: { ...json, 'x-csrf-token': 'x' + token.slice(1) }, body: JSON.stringify({ name: `Wrong ${Math.random()}` }) });
      const withToken = await fetch('/api/v1/clients', { method: 'POST', headers: { ...json, 'x-csrf-token': token }, body: JSON.stringify({ name: `With token ${Math.random()}` }) });
      const uiForm = await fetch('/ui/clients', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Sneaky' });
      const read = await fetch('/api/v1/auth/me');
      return { noToken: noToken.status, message: ((await noToken.json()) as { message: string }).message, wrongToken: wrongToken.status, withToken: withToken.status, uiForm: uiForm.status, read: read.status };
    });
    expect(statuses).toEqual({ noToken: 403, message: expect.stringMatching(/CSRF/), wrongToken: 403, withToken: 201, uiForm: 403, read: 200 });

    // Signing out (a CSRF-protected form) clears the session cookie.
    await Promise.all([page.waitForURL('**/login'), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect((await context.cookies()).some((c) => c.name === 'crt_session')).toBe(false);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
    await closeClean(context);
    await api(user).post('/clients', { name: `Bearer ${Date.now()}` }).expect(201);
  }, BROWSER_TEST_MS);

  it('signed-out UI requests go to the sign-in page while the API keeps its JSON errors; outsiders get 404', async () => {
    const c = await t.clientWithRoles();
    const page = await t.http().get(`/ui/clients/${c.clientId}/members`).expect(303);
    expect(page.headers.location).toBe(`/login?next=${encodeURIComponent(`/ui/clients/${c.clientId}/members`)}`);
    const hx = await t.http().get(`/ui/clients/${c.clientId}/controls`).set('HX-Request', 'true').set('HX-Current-URL', `${base}/ui/clients/${c.clientId}`).expect(401);
    expect(hx.headers['hx-redirect']).toBe(`/login?next=${encodeURIComponent(`/ui/clients/${c.clientId}`)}`);
    const json = await t.http().get(`${API}/clients/${c.clientId}`).expect(401);
    expect(json.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    await t.http().post('/login').type('form').send({ email: c.outsider.email, password: 'x' }).expect(403);
    await t.http().get('/login?next=//evil.example').expect(200).then((r) => expect(r.text).not.toContain('evil.example'));

    const { context, page: outsider } = await asUser(c.outsider);
    const res = await outsider.goto(`/ui/clients/${c.clientId}`);
    expect(res!.status()).toBe(404);
    await text(outsider, 'h1', 'Not found');
    const hidden = await outsider.locator('main').textContent();
    expect((await outsider.goto(`/ui/clients/${randomUUID()}`))!.status()).toBe(404);
    expect(await outsider.locator('main').textContent()).toBe(hidden);
    await inspect(outsider, 'not-found');
    expect((await outsider.goto('/ui/clients/not-a-uuid'))!.status()).toBe(400);
    expect((await outsider.goto('/ui/users'))!.status()).toBe(403);
    await text(outsider, 'h1', 'Not allowed');
    await closeClean(context);
  }, BROWSER_TEST_MS);

  it('members: a newcomer gets a one-time password, members can be removed, the last consultant stays', async () => {
    const c = await t.clientWithRoles();
    const { context, page } = await asUser(c.consultant);
    await page.goto(`/ui/clients/${c.clientId}/members`);
    const email = `newcomer-${Date.now()}@test.local`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Role').selectOption('member');
    await page.getByLabel('Name').fill('Nora Newcomer');
    await page.getByRole('button', { name: 'Add member' }).click();
    await text(page, '.callout', 'New account created');
    const password = (await page.locator('.secret').textContent())!.trim();
    await t.http().post(`${API}/auth/login`).send({ email, password }).expect(200);
    await page.goto(`/ui/clients/${c.clientId}/members`);
    expect(await page.locator('.secret').count()).toBe(0);
    await text(page, 'table', 'Nora Newcomer');

    // Removing redirects back to this same URL, so wait for that new document (waitForURL would not wait).
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForEvent('framenavigated'), page.getByRole('button', { name: `Remove ${c.auditor.email}` }).click()]);
    await page.waitForLoadState('load');
    expect(await page.locator('table', { hasText: c.auditor.email }).count()).toBe(0);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `Remove ${c.consultant.email}` }).click();
    await text(page, '.form-error', 'keeps at least one consultant');
    await closeClean(context);
  }, BROWSER_TEST_MS);

  it('admins manage users: create (with errors beside the fields) and deactivate', async () => {
    const admin = await t.user({ admin: true });
    const { context, page } = await asUser(admin);
    await page.getByRole('link', { name: 'Users' }).click();
    const email = `new-${Date.now()}@test.local`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Name', { exact: true }).fill('Nia New');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create user' }).click();
    await text(page, '#password-error', 'password must be longer than or equal to 12 characters');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await text(page, '.flash-notice', `Created ${email}`);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `Deactivate ${email}` }).click();
    await page.getByRole('button', { name: `Reactivate ${email}` }).waitFor();
    await inspect(page, 'users');
    await closeClean(context);
    const login = await t.http().post(`${API}/auth/login`).send({ email, password: 'a long enough password' });
    expect(login.status).toBe(401);
  }, BROWSER_TEST_MS);

  // How fast this page loads is measured by `npm run bench` (a test on a shared machine cannot judge speed).
  it('renders the whole 419-control matrix (all three frameworks) on one page', async () => {
    const c = await t.clientWithRoles();
    for (const framework of ['soc2', 'hipaa', 'pci-dss']) await api(c.consultant).post(`/clients/${c.clientId}/frameworks`, { framework }).expect(201);
    const { context, page } = await asUser(c.consultant);
    await page.goto(`/ui/clients/${c.clientId}/controls`, { waitUntil: 'load' });
    await text(page, '#result-count', '419 controls');
    expect(await page.locator('table.matrix tbody tr').count()).toBe(419);
    await closeClean(context);
  }, BROWSER_TEST_MS);
});

