import { RequestMethod } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Paths of the web UI, served without the API's global prefix. They must never match an API route's path: an
 * exclusion applies to every controller whose path matches, so the UI keeps to `/`, `/login`, `/logout`,
 * `/assets/...` and `/ui/...`, none of which the API uses.
 */
export const UI_ROUTES = [
  { path: '/', method: RequestMethod.GET },
  { path: 'login', method: RequestMethod.ALL },
  { path: 'logout', method: RequestMethod.ALL },
  { path: 'assets/:file', method: RequestMethod.GET },
  { path: 'ui/{*rest}', method: RequestMethod.ALL },
];

const UI_PATH = /^\/(?:$|\?|login(?:$|[/?])|logout(?:$|[/?])|assets\/|ui(?:$|[/?]))/i;

/**
 * Whether a request URL (`req.originalUrl`) is one of the UI's, to answer its errors with a page rather than JSON.
 * Case-insensitive like Express's routing. Never a security decision: CSRF checks do not depend on the path.
 */
export const isUiPath = (url: string) => UI_PATH.test(url);

/**
 * Templates and static files are read from `src/admin` under the working directory (the repository root for
 * `npm start` and the tests): the TypeScript build copies only code. Fails at start rather than on the first page.
 */
export function adminDir(): string {
  const dir = resolve(process.cwd(), 'src/admin');
  if (!existsSync(resolve(dir, 'views')) || !existsSync(resolve(dir, 'assets'))) {
    throw new Error(`Web UI templates not found under ${dir} (views/ and assets/): start the service from the project root`);
  }
  return dir;
}
