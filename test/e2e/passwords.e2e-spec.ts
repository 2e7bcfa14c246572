import { randomUUID } from 'node:crypto';

import { API, TEST_PASSWORD, TestApp } from '../utils/app';
import { csrfFieldOf } from '../utils/built-service';
import { listenLocal, UiSession } from '../utils/ui-session';

const NEW_PASSWORD = 'another long password';

describe('one email rule (sign-in, users, invitations)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('accepts addresses without a top-level domain, trimmed and lowercased, everywhere', async () => {
    const admin = await t.user({ admin: true });
    const email = `ops-${randomUUID().slice(0, 8)}@intranet`;
    const created = await t.http().post(`${API}/users`).auth(admin.token, { type: 'bearer' }).send({ email: `  ${email.toUpperCase()} `, name: 'Ops', password: TEST_PASSWORD }).expect(201);
    expect(created.body.email).toBe(email);
    await t.http().post(`${API}/auth/login`).send({ email: ` ${email.toUpperCase()}`, password: TEST_PASSWORD }).expect(200);
    const { clientId, consultant } = await t.clientWithRoles();
    const invited = `guest-${randomUUID().slice(0, 8)}@localhost`;
    const res = await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email: invited, role: 'auditor' }).expect(201);
    expect(res.body).toMatchObject({ email: invited, temporaryPassword: expect.any(String) });
  });

  const garbage = [
    'plain',
    '@localhost',
    'user@',
    'two@@localhost',
    'a@b@localhost',
    'with space@localhost',
    'Name <name@example.com>',
    'user@[127.0.0.1]',
    'user@-host',
    'user@host..com',
    'user@host_name',
    '\ud800@localhost',
    'nul\u0000@localhost',
    `${'x'.repeat(250)}@localhost`,
  ];

  it.each(garbage)('refuses %j at sign-in, user creation and invitation with a 400', async (email) => {
    const admin = await t.user({ admin: true });
    const login = await t.http().post(`${API}/auth/login`).send({ email, password: TEST_PASSWORD }).expect(400);
    expect(login.body.message).toMatch(/email/);
    await t.http().post(`${API}/users`).auth(admin.token, { type: 'bearer' }).send({ email, name: 'x', password: TEST_PASSWORD }).expect(400);
    const { clientId, consultant } = await t.clientWithRoles();
    await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email, role: 'member' }).expect(400);
  });
});

describe('own password change and one-time passwords', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  const change = (token: string | undefined, body: unknown) => {
    const req = t.http().post(`${API}/auth/password`);
    return (token ? req.auth(token, { type: 'bearer' }) : req).send(body as object);
  };
  const login = (email: string, password: string) => t.http().post(`${API}/auth/login`).send({ email, password });

  it('changes the password with the current one: the old one stops working, the event is audited without it', async () => {
    const u = await t.user();
    const res = await change(u.token, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(200);
    expect(res.body).toMatchObject({ id: u.id, passwordChangeRequired: false });
    await login(u.email, TEST_PASSWORD).expect(401);
    await login(u.email, NEW_PASSWORD).expect(200);
    const events = await t.dataSource.query(`SELECT actor_user_id AS actor, before, after FROM audit_event WHERE entity_id = $1 AND action = 'user.password_change'`, [u.id]);
    expect(events).toEqual([{ actor: u.id, before: { passwordChangeRequired: false }, after: { passwordChangeRequired: false, passwordChanged: true } }]);
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });

  it.each([
    ['empty body', {}],
    ['no new password', { currentPassword: TEST_PASSWORD }],
    ['too short', { currentPassword: TEST_PASSWORD, newPassword: 'short' }],
    ['too long', { currentPassword: TEST_PASSWORD, newPassword: 'x'.repeat(257) }],
    ['unchanged', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }],
    ['wrong current password', { currentPassword: 'not the password', newPassword: NEW_PASSWORD }],
    ['null', { currentPassword: TEST_PASSWORD, newPassword: null }],
    ['number', { currentPassword: TEST_PASSWORD, newPassword: 123456789012345 }],
    ['unknown field', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, userId: '00000000-0000-4000-8000-000000000000' }],
  ])('answers 400 and changes nothing: %s', async (_label, body) => {
    const u = await t.user();
    const res = await change(u.token, body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    await login(u.email, TEST_PASSWORD).expect(200);
  });

  it('refuses a change without credentials', async () => {
    // An unsafe request that is not bearer-authenticated must carry a CSRF token (src/admin/http/csrf.middleware.ts),
    // so a credential-less post is refused (403) before authentication would answer 401.
    await change(undefined, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(403);
    // With a bearer token that is not valid, authentication answers.
    await change('not-a-token', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(401);
  });

  it('with a one-time password, refuses every other route (bearer and API token) with 403 until the password is changed', async () => {
    const { clientId, consultant } = await t.clientWithRoles();
    const apiToken = (await t.http().post(`${API}/auth/tokens`).auth(consultant.token, { type: 'bearer' }).send({ name: 'script' }).expect(201)).body.token as string;
    await t.dataSource.query(`UPDATE app_user SET password_change_required = true WHERE id = $1`, [consultant.id]);

    const signedIn = await login(consultant.email, TEST_PASSWORD).expect(200);
    expect(signedIn.body).toMatchObject({ passwordChangeRequired: true, user: { passwordChangeRequired: true } });
    for (const token of [signedIn.body.accessToken as string, apiToken]) {
      const refused = await t.http().get(`${API}/clients/${clientId}`).auth(token, { type: 'bearer' }).expect(403);
      expect(refused.body.message).toMatch(/change your password first/i);
      await t.http().post(`${API}/clients`).auth(token, { type: 'bearer' }).send({ name: 'x' }).expect(403);
      await t.http().get(`${API}/auth/tokens`).auth(token, { type: 'bearer' }).expect(403);
      await t.http().get(`${API}/auth/me`).auth(token, { type: 'bearer' }).expect(200);
    }
    await change(signedIn.body.accessToken, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(200);
    await t.http().get(`${API}/clients/${clientId}`).auth(signedIn.body.accessToken, { type: 'bearer' }).expect(200);
    await t.http().get(`${API}/clients/${clientId}`).auth(apiToken, { type: 'bearer' }).expect(200);
    expect((await login(consultant.email, NEW_PASSWORD).expect(200)).body.passwordChangeRequired).toBe(false);
  });

  it('makes an invitation password one-time', async () => {
    const { clientId, consultant } = await t.clientWithRoles();
    const email = `invitee-${randomUUID()}@test.local`;
    const invited = await t.http().post(`${API}/clients/${clientId}/members`).auth(consultant.token, { type: 'bearer' }).send({ email, role: 'member' }).expect(201);
    const signedIn = await login(email, invited.body.temporaryPassword).expect(200);
    expect(signedIn.body.passwordChangeRequired).toBe(true);
    await t.http().get(`${API}/clients/${clientId}`).auth(signedIn.body.accessToken, { type: 'bearer' }).expect(403);
  });

  it('in the web UI, leads a one-time password to the "choose a new password" page (CSRF-protected) and then home', async () => {
    const u = await t.user();
    await t.dataSource.query(`UPDATE app_user SET password_change_required = true WHERE id = $1`, [u.id]);
    const ui = new UiSession(url);
    const signIn = await ui.signIn(u.email, TEST_PASSWORD, '/ui/users');
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/ui/account/password?next=%2Fui%2Fusers');

    // Any other page leads back to it.
    const home = await ui.send('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/ui/account/password');
    const formPage = await ui.send('/ui/account/password');
    expect(formPage.status).toBe(200);
    const html = await formPage.text();
    expect(html).toContain('Choose a new password');
    expect(html).not.toContain('class="mainnav"');
    const csrf = csrfFieldOf(html);

    const withoutCsrf = await ui.send('/ui/account/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(withoutCsrf.status).toBe(403);
    const mismatch = await ui.send('/ui/account/password', { _csrf: csrf, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: 'something else entirely' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The two new passwords differ');
    const wrong = await ui.send('/ui/account/password', { _csrf: csrf, currentPassword: 'not the password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The current password is incorrect');

    const done = await ui.send('/ui/account/password', { _csrf: csrf, currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
    const dashboard = await ui.send('/');
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<h1>Clients</h1>');
    await login(u.email, TEST_PASSWORD).expect(401);
  });

  it('in the web UI, shows "New client" only to those who may create clients, and an admin grants it on the Users page', async () => {
    const [admin, u] = await Promise.all([t.user({ admin: true }), t.user()]);
    const asUser = new UiSession(url);
    await asUser.signIn(u.email, TEST_PASSWORD);
    expect(await (await asUser.send('/')).text()).not.toContain('Create client');
    const refused = await asUser.submit('/', '/ui/clients', { name: `Sneaky ${randomUUID()}` });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('ask an administrator');
    expect((await asUser.submit('/', `/ui/users/${u.id}/client-creation`, { allow: 'true' })).status).toBe(403);

    const asAdmin = new UiSession(url);
    await asAdmin.signIn(admin.email, TEST_PASSWORD);
    const users = await (await asAdmin.send(`/ui/users?search=${encodeURIComponent(u.email)}`)).text();
    expect(users).toContain(`Allow ${u.email} creating clients`);
    expect((await asAdmin.submit('/ui/users', `/ui/users/${u.id}/client-creation`, { allow: 'maybe' })).status).toBe(400);
    const granted = await asAdmin.submit('/ui/users', `/ui/users/${u.id}/client-creation`, { allow: 'true' });
    expect(granted.status).toBe(303);
    expect(await (await asAdmin.send(`/ui/users?search=${encodeURIComponent(u.email)}`)).text()).toContain(`Stop ${u.email} creating clients`);

    expect(await (await asUser.send('/')).text()).toContain('Create client');
    const created = await asUser.submit('/', '/ui/clients', { name: `Allowed ${randomUUID()}` });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toMatch(/^\/ui\/clients\/[0-9a-f-]{36}$/);
  });

  let url: string;
  beforeAll(async () => {
    url = await listenLocal(t.app);
  });
});
