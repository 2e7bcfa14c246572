import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A PostgreSQL cluster of a test's own (Debian's postgresql-common tools), to stop, freeze and restart without
 * touching the shared server on 5432. Named `crt_faults_<pid>_<random>` so that clusters left by a run that was
 * killed can be recognised and dropped by the next one.
 */
const PREFIX = 'crt_faults_';
const TOOLS = ['pg_createcluster', 'pg_ctlcluster', 'pg_dropcluster'].map((t) => `/usr/bin/${t}`);
/** Generous: initdb and a start or stop take seconds on an idle machine, much longer on a loaded one. */
const TOOL_TIMEOUT_MS = 180_000;

/**
 * Whether fault tests can run. Without the cluster tools a developer's `npm test` skips them with a notice; in CI
 * (CI=true) a missing tool is a failure, never a silent skip.
 */
export function clusterToolsAvailable(): boolean {
  const missing = TOOLS.filter((t) => !existsSync(t));
  if (missing.length === 0 && existsSync('/etc/postgresql')) return true;
  const what = missing.length ? missing.join(', ') : '/etc/postgresql';
  if (process.env.CI) throw new Error(`PostgreSQL cluster tools missing (${what}): the database fault tests cannot run`);
  process.stderr.write(`\nSkipping the database fault tests: ${what} not found (apt-get install postgresql)\n`);
  return false;
}

const run = (tool: string, args: string[]) => execFileSync(tool, args, { timeout: TOOL_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

export class TestCluster {
  private frozen: number[] = [];

  private constructor(
    readonly version: string,
    readonly name: string,
    readonly port: number,
  ) {}

  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication on loopback). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Creates and starts a new cluster on a free port above 55432. */
  static async create(): Promise<TestCluster> {
    const version = readdirSync('/etc/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (!version) throw new Error('No PostgreSQL version under /etc/postgresql');
    TestCluster.dropAbandoned(version);
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = 55432 + Math.floor(Math.random() * 5000);
      if (!(await portIsFree(port))) continue;
      const cluster = new TestCluster(version, `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`, port);
      try {
        // Small and fast: a throwaway cluster (listening on localhost, the default), trusting local connections.
        // Commits stay synchronous: the tests crash it (stop -m immediate) right after writing their fixtures, and an
        // asynchronous commit still in WAL buffers would vanish with the crash (fsync=off is fine: the OS keeps it).
        run('/usr/bin/pg_createcluster', [
          ...['--port', String(port), '--start-conf', 'manual'],
          ...['-o', 'fsync=off', '-o', 'full_page_writes=off'],
          ...['-o', 'shared_buffers=16MB', '-o', 'max_connections=40'],
          ...[version, cluster.name, '--', '--auth-local=trust', '--auth-host=trust'],
        ]);
      } catch (e) {
        // Another run may have taken the port between the check and the creation; try another one.
        cluster.drop();
        if (attempt === 19) throw e;
        continue;
      }
      cluster.start();
      return cluster;
    }
    throw new Error('No free port found for a test cluster');
  }

  /** Clusters left by earlier runs whose process is gone (killed before its teardown). */
  private static dropAbandoned(version: string): void {
    for (const name of readdirSync(`/etc/postgresql/${version}`)) {
      const pid = Number(new RegExp(`^${PREFIX}(\\d+)_`).exec(name)?.[1]);
      if (pid && pid !== process.pid && !isAlive(pid)) {
        try {
          run('/usr/bin/pg_dropcluster', ['--stop', version, name]);
        } catch {
          // Best effort: it may be dropped by someone else right now.
        }
      }
    }
  }

  start(): void {
    run('/usr/bin/pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'start']);
  }

  /** Stops the server: `immediate` is a crash (no checkpoint, connections cut), `fast` a clean shutdown. */
  stop(mode: 'immediate' | 'fast' = 'immediate'): void {
    run('/usr/bin/pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'stop', '-m', mode]);
  }

  /**
   * Freezes the server with SIGSTOP: the postmaster and every backend stop answering, while the kernel keeps their
   * sockets open (connections succeed at the TCP level and then hang), as with a stalled host or a stuck disk.
   */
  freeze(): void {
    const pidFile = `/var/lib/postgresql/${this.version}/${this.name}/postmaster.pid`;
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!postmaster) throw new Error(`No postmaster pid in ${pidFile}`);
    process.kill(postmaster, 'SIGSTOP');
    this.frozen = [postmaster];
    let children = '';
    try {
      children = run('/usr/bin/pgrep', ['-P', String(postmaster)]);
    } catch {
      // pgrep exits 1 when there is no child
    }
    for (const pid of children.split('\n').filter(Boolean).map(Number)) {
      process.kill(pid, 'SIGSTOP');
      this.frozen.push(pid);
    }
  }

  /** Resumes what freeze() stopped (backends first, then the postmaster). */
  thaw(): void {
    for (const pid of [...this.frozen].reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    this.frozen = [];
  }

  /** Stops and removes the cluster (its data and configuration). Safe to call in any state, also twice. */
  drop(): void {
    this.thaw();
    try {
      run('/usr/bin/pg_dropcluster', ['--stop', this.version, this.name]);
    } catch (e) {
      if (existsSync(`/etc/postgresql/${this.version}/${this.name}`)) throw e;
    }
  }
}
