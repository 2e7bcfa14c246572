import { CookieJar, csrfFieldOf } from './built-service';

/** A browser's cookies and requests against the web UI, over plain fetch (no redirects followed). */
export class UiSession {
  private readonly jar = new CookieJar();

  constructor(private readonly base: string) {}

  async send(path: string, form?: Record<string, string>): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: this.jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    this.jar.store(res);
    return res;
  }

  /** Posts `form` with the CSRF token of the page at `pagePath`, as the browser would. */
  async submit(pagePath: string, action: string, form: Record<string, string>): Promise<Response> {
    const page = await this.send(pagePath);
    return this.send(action, { _csrf: csrfFieldOf(await page.text()), ...form });
  }

  signIn(email: string, password: string, next?: string): Promise<Response> {
    return this.submit('/login', '/login', { email, password, ...(next ? { next } : {}) });
  }
}

/** The URL a Nest app listens on, on IPv4 loopback. */
export const listenLocal = async (app: { listen(port: number, host: string): Promise<unknown>; getUrl(): Promise<string> }) => {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
};
