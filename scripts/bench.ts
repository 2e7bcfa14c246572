/**
 * npm run build && npm run bench -- [--admin-url postgres://postgres@127.0.0.1:5432/postgres | --embedded]
 *   [--clients 500] [--evidence 100000] [--upload-mib 1024] [--requests 400] [--concurrency 32] [--keep]
 *
 * The SPEC 8 benchmark. Creates its own PostgreSQL database on the admin URL's server (or, with --embedded, starts
 * the embedded PGlite the service uses without DATABASE_URL), times the catalog load on it, starts the real app in
 * this process on a random loopback port, seeds the data set set-based, measures over HTTP (Node's fetch, bounded
 * concurrency) and the control matrix page in Chromium, prints the figures against the targets, writes them to
 * bench-results/latest.json and drops the database (unless --keep). Only loopback traffic; bounded in requests.
 */
import 'reflect-metadata';

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';

import { AppModule } from 'src/app.module';
import { configureApp } from 'src/app.setup';
import { CatalogSyncRepository } from 'src/catalogs/catalog-sync.repository';
import { CatalogSyncService, SyncReport } from 'src/catalogs/catalog-sync.service';
import { createLogger } from 'src/common/logger';
import { AppConfig, loadConfig } from 'src/config/app-config';
import { dataSourceOptions, runMigrations } from 'src/database/data-source';
import { LongWork } from 'src/database/long-work';
import { hashPassword } from 'src/users/password';

import { BenchDatabase, createEmbeddedDatabase, createPostgresDatabase } from './bench/database';
import { getJson, getOk, runLoad, timed, withRssSampling } from './bench/load';
import { Figure, figure, formatTable, skipped } from './bench/report';
import { seedDataset, SeedSummary } from './bench/seed';
import { benchPageLoad, CHROMIUM, chromiumAvailable, PageLoadStats } from './bench/ui';
import { benchUpload } from './bench/upload';

interface Args {
  adminUrl: string;
  embedded: boolean;
  clients: number;
  evidence: number;
  uploadMib: number;
  requests: number;
  concurrency: number;
  keep: boolean;
}

const USAGE = `usage: npm run bench -- [--admin-url URL | --embedded] [--clients N] [--evidence N] [--upload-mib N] [--requests N] [--concurrency N] [--keep]`;
const out = (line = '') => process.stdout.write(`${line}\n`);

function parseArgs(argv: string[]): Args {
  const args: Args = {
    adminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    embedded: false,
    clients: 500,
    evidence: 100_000,
    uploadMib: 1024,
    requests: 400,
    concurrency: 32,
    keep: false,
  };
  const ints: Record<string, keyof Args> = {
    '--clients': 'clients',
    '--evidence': 'evidence',
    '--upload-mib': 'uploadMib',
    '--requests': 'requests',
    '--concurrency': 'concurrency',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') args.keep = true;
    else if (a === '--embedded') args.embedded = true;
    else if (a === '--admin-url' && argv[i + 1]) args.adminUrl = argv[++i];
    else if (ints[a] && /^\d+$/.test(argv[i + 1] ?? '')) (args[ints[a]] as number) = Number(argv[++i]);
    else throw new Error(`unknown or incomplete argument ${a}\n${USAGE}`);
  }
  if (args.embedded && argv.includes('--admin-url')) throw new Error(`--embedded and --admin-url exclude each other\n${USAGE}`);
  if (args.clients < 1 || args.requests < 1 || args.concurrency < 1) throw new Error(`--clients, --requests and --concurrency must be positive\n${USAGE}`);
  if (args.requests > 20_000 || args.concurrency > 256) throw new Error('--requests is capped at 20000 and --concurrency at 256 to keep the run bounded');
  return args;
}

/** CatalogSyncService.sync on the freshly migrated database, then again (it must skip everything and change nothing). */
async function benchCatalogSync(db: BenchDatabase, config: AppConfig) {
  const ds = await new DataSource(dataSourceOptions(db.appEnv.DATABASE_URL, { embedded: db.embedded })).initialize();
  try {
    await runMigrations(ds, { embedded: db.embedded });
    const sync = new CatalogSyncService(new CatalogSyncRepository(), new LongWork(ds, config), config);
    const snapshot = async () =>
      JSON.stringify(
        await ds.query(`SELECT (SELECT count(*) FROM framework)::int AS frameworks, (SELECT count(*) FROM requirement)::int AS requirements,
                               (SELECT count(*) FROM requirement_mapping)::int AS mappings, (SELECT max(updated_at) FROM requirement) AS last_update`),
      );
    const first = await timed(() => sync.sync(config.catalogsDir));
    const before = await snapshot();
    const second = await timed(() => sync.sync(config.catalogsDir));
    const idempotent = second.value.every((r: SyncReport) => r.skipped) && (await snapshot()) === before;
    const [{ requirements }] = (await ds.query(`SELECT count(*)::int AS requirements FROM requirement WHERE retired_at IS NULL`)) as { requirements: number }[];
    return { firstMs: first.ms, secondMs: second.ms, idempotent, requirements, files: first.value.length };
  } finally {
    await ds.destroy();
  }
}

/** The real app, built as the tests build it (AppModule.register + configureApp), on a random loopback port. */
async function startApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), { bodyParser: false, logger: false, abortOnError: false });
  configureApp(app, createLogger('silent'));
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Reads a response body to the end without keeping it; returns its length and first bytes. */
async function drain(res: Response): Promise<{ bytes: number; head: string }> {
  let bytes = 0;
  let head = '';
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    if (bytes === 0) head = Buffer.from(chunk.subarray(0, 8)).toString('latin1');
    bytes += chunk.length;
  }
  return { bytes, head };
}

/** An error's message with its causes (fetch hides the socket error in `cause`). */
const describe = (e: unknown): string =>
  e instanceof Error ? `${e.message}${e.cause ? ` (${describe(e.cause)})` : ''}` : String(e);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const loadStart = loadavg();
  const workDir = mkdtempSync(join(tmpdir(), 'crt-bench-'));
  let app: INestApplication | undefined;
  let db: BenchDatabase | undefined;

  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await app?.close().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
    if (db) out(await db.dispose(args.keep).catch((e: Error) => `could not remove the ${db!.label}: ${e.message}`));
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    db = args.embedded ? await createEmbeddedDatabase() : await createPostgresDatabase(args.adminUrl, `crt_bench_${Date.now()}_${process.pid}`);
    out(`Benchmark (SPEC 8): ${args.clients} clients, ${args.evidence} evidence records, ${db.label}`);
    if (args.embedded) {
      out('  embedded mode: the same data set, requests and figures as on PostgreSQL; what differs:');
      out('  - PGlite (PostgreSQL compiled to WebAssembly) runs inside this process, the one the app and the load generator share;');
      out('  - it serves one connection: the app holds a pool of one (as the service does without DATABASE_URL), so concurrent');
      out('    requests queue for it, and the seeding and lookups borrow that same connection;');
      out('  - no CREATE/DROP DATABASE: the database lives in a temporary directory, removed afterwards unless --keep.');
    }
    if (loadStart[0] > cpus().length / 2) out(`  note: load average ${loadStart[0].toFixed(1)} on ${cpus().length} cores: other work is running, figures will be pessimistic`);
    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: 'silent',
      ...db.appEnv,
      DATA_DIR: workDir,
      ADMIN_EMAIL: 'admin@bench.local',
      ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      JWT_SECRET: randomBytes(48).toString('base64url'),
      LOGIN_RATE_LIMIT: '100000',
      UPLOAD_MAX_BYTES: String(Math.max(100, args.uploadMib + 16) * 1048576),
    });

    out('Catalog load on a fresh database ...');
    const catalog = await benchCatalogSync(db, config);

    out('Starting the app ...');
    const boot = await timed(() => startApp(config));
    app = boot.value;
    db.attachApp(app.get(DataSource));
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const api = `${base}/api/v1`;

    out(`Seeding ${args.clients} clients ...`);
    const seed: SeedSummary = await db.use(async (c) => seedDataset(c, { clients: args.clients, evidence: args.evidence, passwordHash: await hashPassword(randomBytes(18).toString('base64url')) }));
    out(`  ${seed.users} users, ${seed.clients} clients, ${seed.controls} controls, ${seed.evidence} evidence, ${seed.evidenceLinks} links in ${seed.seconds} s`);

    const target = `Bench client ${String(Math.ceil(args.clients / 2)).padStart(4, '0')}`;
    const { client, consultant, admin, controls } = await db.use(async (c) => {
      const [row] = (
        await c.query(
          `SELECT cl.id AS "clientId", u.id AS "userId", u.email, (SELECT count(*)::int FROM control WHERE client_id = cl.id) AS controls
             FROM client cl JOIN client_member m ON m.client_id = cl.id AND m.role = 'consultant' JOIN app_user u ON u.id = m.user_id
            WHERE cl.name = $1`,
          [target],
        )
      ).rows as { clientId: string; userId: string; email: string; controls: number }[];
      const [adm] = (await c.query(`SELECT id, email FROM app_user WHERE is_admin ORDER BY created_at LIMIT 1`)).rows as { id: string; email: string }[];
      return { client: row.clientId, consultant: { id: row.userId, email: row.email }, admin: adm, controls: row.controls };
    });
    const jwt = app.get(JwtService);
    const consultantToken = jwt.sign({ sub: consultant.id, email: consultant.email });
    const adminToken = jwt.sign({ sub: admin.id, email: admin.email });
    const load = { total: args.requests, concurrency: args.concurrency, warmup: args.concurrency * 2 };
    const figures: Figure[] = [];

    out(`Control matrix of "${target}" (${controls} controls) ...`);
    const matrixUrl = `${api}/clients/${client}/controls?pageSize=100`;
    const page = await getJson<{ items: unknown[]; total: number }>(matrixUrl, consultantToken);
    if (page.items.length !== Math.min(100, controls) || page.total !== controls) throw new Error(`control matrix returned ${page.items.length} of ${page.total} rows`);
    const matrixSerial = await runLoad(async () => void (await (await getOk(matrixUrl, consultantToken)).arrayBuffer()), { total: 50, concurrency: 1, warmup: 5 });
    const matrix = await runLoad(async () => void (await (await getOk(matrixUrl, consultantToken)).arrayBuffer()), load);
    figures.push(
      figure('control matrix p50', matrix.p50Ms, 'ms', undefined, `${args.concurrency} concurrent, ${args.requests} requests, ${matrix.throughputPerS} req/s, Node CPU ${matrix.nodeCpuMsPerRequest} ms/request`),
      figure('control matrix p95', matrix.p95Ms, 'ms'),
      figure('control matrix p99', matrix.p99Ms, 'ms', { below: 50 }, matrix.errors ? `${matrix.errors} errors` : undefined),
      figure('control matrix p50, one at a time', matrixSerial.p50Ms, 'ms', undefined, 'latency without queueing'),
    );

    out('Readiness of one client ...');
    const readinessUrl = `${api}/clients/${client}/readiness`;
    const r = await getJson<{ frameworks: { framework: string; score: number }[] }>(readinessUrl, consultantToken);
    if (r.frameworks.length !== 3) throw new Error(`readiness reports ${r.frameworks.length} frameworks`);
    const readinessSerial = await runLoad(async () => void (await (await getOk(readinessUrl, consultantToken)).arrayBuffer()), { total: 50, concurrency: 1, warmup: 5 });
    const readiness = await runLoad(async () => void (await (await getOk(readinessUrl, consultantToken)).arrayBuffer()), load);
    figures.push(
      figure('readiness p50', readiness.p50Ms, 'ms', undefined, `${args.concurrency} concurrent, ${args.requests} requests, ${readiness.throughputPerS} req/s, Node CPU ${readiness.nodeCpuMsPerRequest} ms/request`),
      figure('readiness p99', readiness.p99Ms, 'ms', { below: 50 }, readiness.errors ? `${readiness.errors} errors` : undefined),
      figure('readiness p50, one at a time', readinessSerial.p50Ms, 'ms', undefined, `scores ${r.frameworks.map((f) => `${f.framework} ${f.score}`).join(', ')}`),
    );

    out('Admin dashboard over all clients ...');
    const dashboardUrl = `${api}/clients?include=readiness&pageSize=500`;
    const dash = await getJson<{ items: { readiness: unknown[] }[]; total: number }>(dashboardUrl, adminToken);
    if (dash.items.length !== Math.min(500, args.clients) || dash.items.some((i) => i.readiness.length !== 3)) throw new Error('dashboard did not list every client with 3 frameworks');
    const dashRuns: number[] = [];
    for (let i = 0; i < 5; i++) dashRuns.push((await timed(async () => (await getOk(dashboardUrl, adminToken)).arrayBuffer())).ms);
    figures.push(figure('admin dashboard (median of 5)', median(dashRuns), 'ms', { below: 300 }, `${dash.items.length} clients; runs ${dashRuns.join(', ')} ms`));

    figures.push(
      figure('catalog load, fresh database', catalog.firstMs, 'ms', { below: 2000 }, `${catalog.files} files, ${catalog.requirements} requirements`),
      figure('catalog load, second run', catalog.secondMs, 'ms', { below: 2000 }, catalog.idempotent ? 'idempotent: every file skipped, no row changed' : 'NOT idempotent'),
      figure('app start on a loaded database', boot.ms, 'ms', undefined, 'migrations check + catalog check + listen'),
    );
    if (!catalog.idempotent) figures[figures.length - 2].pass = false;

    const openapi = await getJson<{ paths: Record<string, Record<string, unknown>> }>(`${base}/docs-json`, adminToken);
    const pdfPath = '/api/v1/clients/{clientId}/reports/gap-analysis.pdf';
    let pdf: { runsMs: number[]; bytes: number; peakMiB: number; growthMiB: number } | null = null;
    if (openapi.paths[pdfPath]?.get) {
      out('Gap-analysis PDF, all frameworks ...');
      const runsMs: number[] = [];
      let bytes = 0;
      let peakMiB = 0;
      let growthMiB = 0;
      for (let i = 0; i < 3; i++) {
        const run = await withRssSampling(() => timed(async () => drain(await getOk(`${api}/clients/${client}/reports/gap-analysis.pdf`, consultantToken, 120_000))));
        if (run.value.value.head.slice(0, 5) !== '%PDF-') throw new Error('the gap-analysis route did not return a PDF');
        runsMs.push(run.value.ms);
        bytes = run.value.value.bytes;
        peakMiB = Math.max(peakMiB, run.peakMiB);
        growthMiB = Math.max(growthMiB, run.growthMiB);
      }
      pdf = { runsMs, bytes, peakMiB, growthMiB };
      figures.push(
        figure('gap-analysis PDF (median of 3)', median(runsMs), 'ms', { below: 1500 }, `${Math.round(bytes / 1024)} KiB; runs ${runsMs.join(', ')} ms`),
        figure('gap-analysis PDF memory growth', growthMiB, 'MiB', { below: 200, label: '< 200 MB' }, `peak RSS of the whole process (app + benchmark) ${peakMiB} MiB`),
      );
    } else {
      figures.push(skipped('gap-analysis PDF', '< 1.5 s, < 200 MB', `GET ${pdfPath} does not exist yet`));
    }

    // The web UI's control matrix page with every control of the client (the browser test only checks its rows).
    const matrixPage = `/ui/clients/${client}/controls`;
    let ui: PageLoadStats | null = null;
    if (chromiumAvailable()) {
      out(`Control matrix page in Chromium (${controls} controls) ...`);
      ui = await benchPageLoad({ baseUrl: base, path: matrixPage, sessionToken: consultantToken, rowSelector: 'table.matrix tbody tr', runs: 5 });
      figures.push(
        // No SPEC 8 target (the browser test used to demand "< 1000 ms"); a wrong row count is a failure.
        figure(`UI control matrix page load (median of 5)`, ui.medianLoadMs, 'ms', undefined, `${ui.rows} of ${controls} rows; to the load event; server ${ui.medianServerMs} ms; runs ${ui.runs.map((r) => r.loadMs).join(', ')} ms`),
      );
      if (ui.rows !== controls) figures[figures.length - 1].pass = false;
    } else {
      figures.push(skipped('UI control matrix page load', '', `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`));
    }

    const uploadPath = '/api/v1/clients/{clientId}/evidence';
    let upload: Awaited<ReturnType<typeof benchUpload>> | null = null;
    if (openapi.paths[uploadPath]?.post) {
      out(`Evidence upload of ${args.uploadMib} MiB ...`);
      try {
        upload = await benchUpload({ baseUrl: base, clientId: client, token: consultantToken, dir: workDir, mib: args.uploadMib });
      } catch (e) {
        figures.push({ ...skipped(`upload ${args.uploadMib} MiB`, '< 64 MiB growth, within 2x', `FAILED: ${describe(e)}`), pass: false });
      }
    }
    if (upload) {
      figures.push(
        figure(`upload ${args.uploadMib} MiB, memory growth`, upload.rssGrowthMiB, 'MiB', { below: 64 }, `RSS ${upload.rssBaselineMiB} -> ${upload.rssPeakMiB} MiB, sampled every 50 ms`),
        figure(`upload ${args.uploadMib} MiB, time vs sha256sum + cp`, upload.ratio, 'x', { below: 2, label: 'within 2x' }, `${upload.uploadSeconds} s (${upload.uploadMiBPerS} MiB/s) vs ${upload.baselineSeconds} s (${upload.baselineMiBPerS} MiB/s)${upload.sha256Matches ? '' : '; SHA-256 or size MISMATCH'}`),
      );
      if (!upload.sha256Matches) figures[figures.length - 1].pass = false;
    } else if (!openapi.paths[uploadPath]?.post) {
      figures.push(skipped('evidence upload', '< 64 MiB growth, within 2x', `POST ${uploadPath} does not exist yet`));
    }

    out();
    out(formatTable(figures));
    const pg = await db.use(async (c) => (await c.query(`SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS "sharedBuffers"`)).rows[0] as object);
    const result = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      database: db.kind,
      args: { ...args, adminUrl: undefined },
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemMiB: Math.round(totalmem() / 1048576), node: process.version, postgres: pg, loadAvgStart: loadStart, loadAvgEnd: loadavg() },
      dataset: seed,
      figures,
      details: { catalog, matrix, matrixSerial, readiness, readinessSerial, dashboardRunsMs: dashRuns, pdf, ui, upload, bootMs: boot.ms },
    };
    const dir = resolve('bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    out(`\nWrote ${join(dir, 'latest.json')}`);
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`benchmark failed: ${describe(e)}\n${e instanceof Error ? e.stack : ''}\n`);
    process.exit(2);
  },
);
