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

/** A path inside this site to go back to (never another origin: `//host` and `/\host` are refused). */
export function localPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length <= 2000 ? value : fallback;
}
