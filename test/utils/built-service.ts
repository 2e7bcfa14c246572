import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The repository root: jest runs from it (as `npm start` does). */
const ROOT = resolve(process.cwd());
/** Inside node_modules, so that the compiled files resolve their dependencies exactly as dist/ does. */
const CACHE = join(ROOT, 'node_modules/.cache/crt-built-service');

/** Every file the build reads, in a stable order. */
function buildInputs(): string[] {
  const files = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
  for (const dir of ['src', 'migrations', 'scripts']) {
    for (const f of readdirSync(join(ROOT, dir), { recursive: true }) as string[]) {
      if (f.endsWith('.ts') && statSync(join(ROOT, dir, f)).isFile()) files.push(join(dir, f));
    }
  }
  return files.sort();
}

/**
 * The service compiled exactly as `npm run build` compiles it (tsc with tsconfig.build.json, then tsc-alias), from the
 * sources as they are now: tests of the built service never run a stale dist/. The output is cached by a hash of the
 * sources (a run after no change reuses it) and built beside dist/, never in it, so a concurrent `npm run build` or
 * `npm start` is not disturbed. Returns the directory that holds src/main.js and scripts/.
 */
export async function builtService(): Promise<string> {
  const hash = createHash('sha256');
  for (const f of buildInputs()) hash.update(f).update('\0').update(readFileSync(join(ROOT, f))).update('\0');
  const out = join(CACHE, hash.digest('hex').slice(0, 16));
  if (existsSync(join(out, 'src/main.js'))) return out;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const node = process.execPath;
  await run(node, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', tmp], { cwd: ROOT, maxBuffer: 16 << 20 });
  await run(node, [join(ROOT, 'node_modules/tsc-alias/dist/bin/index.js'), '-p', 'tsconfig.build.json', '--outDir', relative(ROOT, tmp)], { cwd: ROOT, maxBuffer: 16 << 20 });
  try {
    renameSync(tmp, out);
  } catch {
    // Another run built the same sources first: theirs is identical.
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** A free loopback port (the OS picks; closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The environment of a newcomer's shell: nothing of the test run's configuration (DATABASE_URL, NODE_OPTIONS ...),
 * only what a shell always has, plus `env`.
 */
export function bareEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
}

/** One child process of the built service or of one of its scripts, with everything it printed. */
export class ServiceProcess {
  private output = '';
  private exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Runs `node <dir>/<script> ...args` from the repository root (where `npm start` runs it). */
  static start(dir: string, script: string, args: string[], env: NodeJS.ProcessEnv): ServiceProcess {
    return new ServiceProcess(spawn(process.execPath, [join(dir, script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get printed(): string {
    return this.output;
  }

  /** Resolves with the exit code. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  /** Polls `url` until it answers 200, or fails with what the process printed if it exits first. No deadline here: the test's own timeout applies. */
  async waitHealthy(url: string): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`the process exited before ${url} answered:\n${this.output}`);
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** SIGTERM (graceful shutdown), then SIGKILL if it is still there after a generous wait. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A minimal cookie jar for fetch: what Set-Cookie gave, sent back as a Cookie header. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The hidden CSRF field of the first form on a page. */
export const csrfFieldOf = (html: string): string => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF field on the page:\n${html.slice(0, 500)}`);
  return m[1];
};
