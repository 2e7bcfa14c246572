import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';

import { BLOCK_BASE_SECONDS, signInLimitKeys } from 'src/auth/sign-in-limiter.service';

import { API, TEST_PASSWORD, TestApp } from '../utils/app';

/**
 * Sign-in limits (issue 10, item 2) through HTTP on the run's database. The client address is set the way a
 * reverse proxy sets it: TRUST_PROXY=loopback, and X-Forwarded-For on requests that come from the loopback
 * interface. Every test uses fresh addresses and accounts, since the counters live in the shared database.
 */
/** Each test checks many passwords (argon2, memory-hard): generous on a loaded machine, never a duration assertion. */
const SLOW = 600_000;
const PAIR_LIMIT = 5;
const ADDRESS_LIMIT = 20;
const LIMITS = { LOGIN_RATE_LIMIT: String(PAIR_LIMIT), LOGIN_ADDRESS_RATE_LIMIT: String(ADDRESS_LIMIT) };

const address = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const nobody = () => `nobody-${randomInt(1e9)}@test.local`;

type Answer = { status: number; headers: Record<string, string>; body: Record<string, unknown> };

function client(t: TestApp, ip?: string) {
  const withIp = <T extends { set(name: string, value: string): T }>(r: T) => (ip ? r.set('X-Forwarded-For', ip) : r);
  return {
    login: (email: string, password: string): Promise<Answer> => withIp(t.http().post(`${API}/auth/login`)).send({ email, password }) as unknown as Promise<Answer>,
  };
}

/** Ends the block of `email` at `ip` as if its time had passed (moves its expiry into the past). */
async function endBlock(t: TestApp, email: string, ip: string) {
  const { pair } = signInLimitKeys(email, ip);
  const [, updated] = (await t.dataSource.query(`UPDATE sign_in_limit SET expire = 0 WHERE key = $1`, [`block:${pair}`])) as [unknown, number];
  expect(updated).toBe(1);
}

async function failUntilBlocked(t: TestApp, email: string, ip: string) {
  for (let i = 0; i < PAIR_LIMIT; i++) expect((await client(t, ip).login(email, 'wrong password')).status).toBe(401);
}

describe('sign-in limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.create({ ...LIMITS, TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  it("an attacker's failures from one address never block the right password from another", async () => {
    const victim = await t.user();
    const attacker = address();
    const answers: number[] = [];
    for (let i = 0; i < PAIR_LIMIT + 5; i++) answers.push((await client(t, attacker).login(victim.email, 'guess')).status);
    expect(answers).toEqual([...Array(PAIR_LIMIT).fill(401), ...Array(5).fill(429)]);

    const res = await client(t, address()).login(victim.email, TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { id: victim.id } });
  }, SLOW);

  it('lets 15 colleagues behind one office address sign in at once, however often (successes are not counted)', async () => {
    const office = address();
    const colleagues = await Promise.all(Array.from({ length: 15 }, () => t.user()));
    const answers = await Promise.all(colleagues.map((u) => client(t, office).login(u.email, TEST_PASSWORD)));
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(200));
    // More successes than the address's budget of failures: none of them spent it.
    for (const u of colleagues.slice(0, ADDRESS_LIMIT - 15 + 1)) expect((await client(t, office).login(u.email, TEST_PASSWORD)).status).toBe(200);
    expect((await client(t, office).login(colleagues[0].email, 'a typo')).status).toBe(401);
  }, SLOW);

  it('blocks an account at one address after repeated failures, even for the right password, until the block ends', async () => {
    const u = await t.user();
    const ip = address();
    await failUntilBlocked(t, u.email, ip);

    const refused = await client(t, ip).login(u.email, TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/^Too many sign-in attempts: try again in \d+ seconds$/) });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(BLOCK_BASE_SECONDS);

    await endBlock(t, u.email, ip);
    expect((await client(t, ip).login(u.email, TEST_PASSWORD)).status).toBe(200);
  }, SLOW);

  it('doubles the block with each failure past the limit', async () => {
    const email = nobody();
    const ip = address();
    await failUntilBlocked(t, email, ip);
    const first = Number((await client(t, ip).login(email, 'x')).headers['retry-after']);

    await endBlock(t, email, ip);
    expect((await client(t, ip).login(email, 'wrong again')).status).toBe(401);
    const second = await client(t, ip).login(email, 'x');
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(BLOCK_BASE_SECONDS);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(first);
  }, SLOW);

  it('answers an unknown account exactly like a real one, so a 429 reveals nothing', async () => {
    const real = await t.user();
    const seq = async (email: string) => {
      const ip = address();
      const out: Array<[number, unknown]> = [];
      for (let i = 0; i < PAIR_LIMIT + 2; i++) {
        const r = await client(t, ip).login(email, 'wrong password');
        out.push([r.status, { ...r.body, message: String(r.body.message).replace(/\d+/, 'N') }]);
      }
      return out;
    };
    expect(await seq(nobody())).toEqual(await seq(real.email));
  }, SLOW);

  it('a success clears the streak of failures', async () => {
    const u = await t.user();
    const ip = address();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < PAIR_LIMIT - 1; i++) expect((await client(t, ip).login(u.email, 'wrong password')).status).toBe(401);
      expect((await client(t, ip).login(u.email, TEST_PASSWORD)).status).toBe(200);
    }
    await failUntilBlocked(t, u.email, ip);
    expect((await client(t, ip).login(u.email, 'wrong password')).status).toBe(429);
  }, SLOW);

  it('limits the failures of one address over many accounts, but not the same accounts from elsewhere', async () => {
    const sprayer = address();
    const u = await t.user();
    for (let i = 0; i < ADDRESS_LIMIT; i++) expect((await client(t, sprayer).login(nobody(), 'Winter2026!')).status).toBe(401);
    const refused = await client(t, sprayer).login(u.email, TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await client(t, address()).login(u.email, TEST_PASSWORD)).status).toBe(200);
  }, SLOW);

  it('counts IPv6 clients per /64, so rotating addresses within it gains nothing', async () => {
    const net = `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}`;
    const email = nobody();
    for (let i = 1; i <= PAIR_LIMIT; i++) expect((await client(t, `${net}::${i.toString(16)}`).login(email, 'guess')).status).toBe(401);
    expect((await client(t, `${net}:ffff:ffff:ffff:ffff`).login(email, 'guess')).status).toBe(429);
    expect((await client(t, `2001:db8:ffff:${randomInt(65536).toString(16)}::1`).login(email, 'guess')).status).toBe(401);
  }, SLOW);

  it('lets no burst of concurrent guesses past the limit', async () => {
    const email = nobody();
    const ip = address();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client(t, ip).login(email, `guess ${randomInt(1e9)}`)));
    const statuses = answers.map((a) => a.status);
    // The limit, plus at most the one turn a pair gets past it.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(PAIR_LIMIT + 1);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  }, SLOW);

  it('does not count malformed requests (400) as failures', async () => {
    const u = await t.user();
    const ip = address();
    for (let i = 0; i < PAIR_LIMIT + 1; i++) {
      const r = (await t.http().post(`${API}/auth/login`).set('X-Forwarded-For', ip).send({ email: u.email, password: 42 })) as unknown as Answer;
      expect(r.status).toBe(400);
    }
    expect((await client(t, ip).login(u.email, TEST_PASSWORD)).status).toBe(200);
  }, SLOW);

  it('applies the same limits to the web sign-in form, shown on the sign-in page', async () => {
    const u = await t.user();
    const ip = address();
    await failUntilBlocked(t, u.email, ip);
    const form = await t.http().get('/login').set('X-Forwarded-For', ip).expect(200);
    const cookie = (form.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const post = (from: string) =>
      t.http().post('/login').set('X-Forwarded-For', from).set('Cookie', cookie).type('form').send({ _csrf: token, email: u.email, password: TEST_PASSWORD });
    const refused = await post(ip).expect(429);
    expect(refused.text).toContain('Too many sign-in attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The form's failures count for the API too, and the form from a clean address signs in.
    await post(address()).expect(303);
  }, SLOW);
});

describe('sign-in limits shared by two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await TestApp.create({ ...LIMITS, TRUST_PROXY: 'loopback' });
    b = await TestApp.create({ ...LIMITS, TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts failures on either instance against the same pair, and both see the block', async () => {
    const u = await a.user();
    const ip = address();
    for (let i = 0; i < PAIR_LIMIT; i++) expect((await client(i % 2 ? a : b, ip).login(u.email, 'wrong password')).status).toBe(401);
    expect((await client(a, ip).login(u.email, TEST_PASSWORD)).status).toBe(429);
    expect((await client(b, ip).login(u.email, TEST_PASSWORD)).status).toBe(429);
    expect((await client(b, address()).login(u.email, TEST_PASSWORD)).status).toBe(200);
  }, SLOW);

  it('a success on one instance clears the streak for the other', async () => {
    const u = await a.user();
    const ip = address();
    for (let i = 0; i < PAIR_LIMIT - 1; i++) expect((await client(a, ip).login(u.email, 'wrong password')).status).toBe(401);
    expect((await client(b, ip).login(u.email, TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < PAIR_LIMIT - 1; i++) expect((await client(a, ip).login(u.email, 'wrong password')).status).toBe(401);
    expect((await client(a, ip).login(u.email, TEST_PASSWORD)).status).toBe(200);
  }, SLOW);
});

describe('sign-in limits without a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The address budget of 127.0.0.1 is shared with the rest of the run: only the pair limit is lowered here.
    t = await TestApp.create({ LOGIN_RATE_LIMIT: String(PAIR_LIMIT) });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For: a client cannot pick the address it is counted under', async () => {
    const u = await t.user();
    for (let i = 0; i < PAIR_LIMIT; i++) {
      expect((await client(t, address()).login(u.email, 'wrong password')).status).toBe(401);
    }
    expect((await client(t, address()).login(u.email, TEST_PASSWORD)).status).toBe(429);
  }, SLOW);
});

describe('TRUST_PROXY', () => {
  async function startWith(trustProxy: string): Promise<string[]> {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await TestApp.create({ TRUST_PROXY: trustProxy }, { logger: pino({ level: 'warn' }, sink) });
    await app.close();
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40).map((l) => l.msg);
  }

  it('warns at start when set to true (anyone could pick their address), not for a hop count', async () => {
    expect(await startWith('true')).toEqual([expect.stringMatching(/TRUST_PROXY=true .*TRUST_PROXY=1/)]);
    expect(await startWith('1')).toEqual([]);
  }, SLOW);
});
