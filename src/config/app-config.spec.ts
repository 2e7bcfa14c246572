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

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });
});
