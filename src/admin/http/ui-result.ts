import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CookieOptions, Request } from 'express';

/** A cookie the response sets (value) or clears (value null). */
export interface CookieChange {
  name: string;
  value: string | null;
  options: CookieOptions;
}

/** What UI handlers return; UiResponseInterceptor turns it into the HTTP response. */
export type UiResult =
  | { kind: 'page'; view: string; context: object; status: number; cookies?: CookieChange[] }
  | { kind: 'redirect'; to: string; cookies?: CookieChange[] };

export const page = (view: string, context: object = {}, status = 200): UiResult => ({ kind: 'page', view, context, status });

export const redirect = (to: string, cookies?: CookieChange[]): UiResult => ({ kind: 'redirect', to, cookies });

/** Whether the request comes from htmx (which then expects a fragment, not a whole page). */
export const isHtmx = (req: Request) => req.headers['hx-request'] === 'true';

/** `true` when the request was made by htmx. */
export const Htmx = createParamDecorator((_data: unknown, ctx: ExecutionContext): boolean => isHtmx(ctx.switchToHttp().getRequest<Request>()));

/** Stands for "this site" when parsing a path: any URL that resolves elsewhere is not ours. */
const SITE = new URL('http://this-site.invalid/');
/** C0 controls, DEL and the backslash: browsers drop tabs and newlines and read `\\` as `/` in URLs. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * A path inside this site to go back to after signing in, or `fallback`. The value must be a path (`/...`), parse
 * as a URL on this site (not `//host`, `/\host`, `https://host`), and hold no control character or backslash,
 * neither as typed nor once percent-decoded (`/\t/host` and `/%09/host` become `//host` in a browser or a proxy
 * that decodes). Returns the parsed path re-serialised, so the Location header is always plain ASCII.
 */
export function localPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/') || UNSAFE.test(value)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (UNSAFE.test(decoded) || decoded.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(value, SITE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can turn a harmless path into `//host` once normalised (`/.//host`): check what is returned.
  if (url.origin !== SITE.origin || url.username !== '' || url.password !== '' || !path.startsWith('/') || path.startsWith('//')) return fallback;
  return path;
}
