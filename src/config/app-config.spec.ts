import { ConfigError, loadConfig } from 'src/config/app-config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, uploadMaxBytes: 100 * 1024 * 1024, logLevel: 'info', jwtTtl: '12h' });
    expect(c.dataDir).toMatch(/data$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads and converts values', () => {
    const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h/db', UPLOAD_MAX_BYTES: '1024', LOG_LEVEL: 'debug', ADMIN_EMAIL: 'Boss@Example.com' });
    expect(c).toMatchObject({ port: 8080, databaseUrl: 'postgres://u@h/db', uploadMaxBytes: 1024, logLevel: 'debug', adminEmail: 'boss@example.com' });
  });

  it('fails listing every bad variable with a message a person can act on', () => {
    const bad = { PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_PASSWORD: 'short', JWT_SECRET: 'tiny', LOG_LEVEL: 'loud', UPLOAD_MAX_BYTES: '-5' };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    try {
      loadConfig(bad);
    } catch (e) {
      const msg = (e as Error).message;
      for (const v of ['PORT', 'DATABASE_URL', 'ADMIN_PASSWORD', 'JWT_SECRET', 'LOG_LEVEL', 'UPLOAD_MAX_BYTES']) expect(msg).toContain(v);
    }
  });

  it('reads TRUST_PROXY as express expects it', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone!' })).toThrow(/TRUST_PROXY/);
  });

  it('reads ADMIN_EMAIL with the one email rule: no TLD needed, trimmed and lowercased, garbage refused', () => {
    expect(loadConfig({ ADMIN_EMAIL: ' Admin@LocalHost ' }).adminEmail).toBe('admin@localhost');
    expect(loadConfig({ ADMIN_EMAIL: '' }).adminEmail).toBeUndefined();
    for (const bad of ['admin@', 'admin', 'a@b@c', 'Admin <admin@example.com>']) expect(() => loadConfig({ ADMIN_EMAIL: bad })).toThrow(/ADMIN_EMAIL must be an email address/);
  });

  it('reads the sign-in limits', () => {
    expect(loadConfig({})).toMatchObject({ loginRateLimit: 10, loginAddressRateLimit: 100 });
    expect(loadConfig({ LOGIN_RATE_LIMIT: '3', LOGIN_ADDRESS_RATE_LIMIT: '40' })).toMatchObject({ loginRateLimit: 3, loginAddressRateLimit: 40 });
    expect(() => loadConfig({ LOGIN_ADDRESS_RATE_LIMIT: '0' })).toThrow(/LOGIN_ADDRESS_RATE_LIMIT/);
    expect(() => loadConfig({ LOGIN_RATE_LIMIT: 'ten' })).toThrow(/LOGIN_RATE_LIMIT/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it('bounds every wait on the database by default, and reads each bound from its variable', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ connectMs: 5000, statementMs: 15000, queryMs: 20000, idleInTransactionMs: 30000, longStatementMs: 300000, keepAliveMs: 10000 });
    const c = loadConfig({
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
      DATABASE_QUERY_TIMEOUT_MS: '4000',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0',
      DATABASE_LONG_STATEMENT_TIMEOUT_MS: '60000',
      DATABASE_KEEPALIVE_MS: '0',
    });
    expect(c.databaseTimeouts).toEqual({ connectMs: 2000, statementMs: 3000, queryMs: 4000, idleInTransactionMs: 0, longStatementMs: 60000, keepAliveMs: 0 });
    // The client-side bound follows a changed statement timeout unless set itself.
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '60000' }).databaseTimeouts.queryMs).toBe(65000);
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseTimeouts.queryMs).toBe(0);
  });

  it('refuses database timeouts that are not milliseconds, or a client bound that would cut off the server', () => {
    for (const [name, value] of [
      ['DATABASE_CONNECT_TIMEOUT_MS', '0'],
      ['DATABASE_CONNECT_TIMEOUT_MS', '5s'],
      ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
      ['DATABASE_QUERY_TIMEOUT_MS', '1.5'],
      ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', '3600001'],
      ['DATABASE_LONG_STATEMENT_TIMEOUT_MS', '0'],
      ['DATABASE_KEEPALIVE_MS', 'yes'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name} must be an integer number of milliseconds`));
    }
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '5000', DATABASE_QUERY_TIMEOUT_MS: '5000' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS must be greater/);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_QUERY_TIMEOUT_MS: '5000' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS must be greater/);
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_QUERY_TIMEOUT_MS: '0' }).databaseTimeouts.queryMs).toBe(0);
  });
});
