import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer as readAll } from 'node:stream/consumers';
import yauzl from 'yauzl';

import { API, day, TestApp, TestUser } from '../utils/app';

type Ctl = { id: string; ref: string; framework: string; state: string };
type Counts = { framework: string; name: string; version: string; score: number | null; met: number; partial: number; gap: number; applicable: number; notApplicable: number };

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const squash = (s: string) => s.replace(/\s+/g, '');
const words = (s: string) => s.replace(/\s+/g, ' ');
const scoreText = (score: number | null) => (score === null ? 'n/a' : `${score.toFixed(1)}%`);
const REPORTS = ['gap-analysis.pdf', 'gap-analysis.json', 'gap-analysis.csv', 'evidence-package.zip'] as const;

const scratch = mkdtempSync(join(tmpdir(), 'crt-reports-'));

function pdfFile(pdf: Buffer): string {
  const file = join(scratch, `${randomUUID()}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/**
 * The PDF's text as poppler extracts it: `-layout` keeps the page's visual lines (table rows side by side),
 * `-raw` keeps content-stream order, where each table cell's lines follow each other.
 */
function pdfText(pdf: Buffer, opts: { page?: number; mode?: 'layout' | 'raw' } = {}): string {
  const range = opts.page ? ['-f', String(opts.page), '-l', String(opts.page)] : [];
  return execFileSync('pdftotext', [`-${opts.mode ?? 'layout'}`, ...range, pdfFile(pdf), '-']).toString('utf8');
}

/** Every extracted word with its box, per page (`pdftotext -bbox`), to check that nothing runs off the page. */
function pdfWords(pdf: Buffer): { page: number; width: number; height: number; xMin: number; xMax: number; yMin: number; yMax: number; text: string }[] {
  const html = execFileSync('pdftotext', ['-bbox', pdfFile(pdf), '-']).toString('utf8');
  const words: ReturnType<typeof pdfWords> = [];
  let page = 0;
  let size = { width: 0, height: 0 };
  for (const line of html.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)">/.exec(line);
    if (p) {
      page++;
      size = { width: Number(p[1]), height: Number(p[2]) };
    }
    const w = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (w) words.push({ page, ...size, xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), text: w[5] });
  }
  return words;
}

function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-enc', 'UTF-8', pdfFile(pdf)]).toString('utf8');
  return Object.fromEntries(out.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

/** RFC 4180, enough for the export: quoted fields with commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += ch;
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length) endRow();
  return rows;
}

async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const z = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const entry of z.eachEntry()) files.set(entry.fileName, await readAll(await z.openReadStreamPromise(entry)));
  return files;
}

describe('reports (SPEC 5)', () => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crt-reports-data-'));
    t = await TestApp.create({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const as = (u: TestUser) => ({
    get: (p: string) => t.http().get(`${API}${p}`).auth(u.token, { type: 'bearer' }),
    post: (p: string, b?: object) => t.http().post(`${API}${p}`).auth(u.token, { type: 'bearer' }).send(b),
    patch: (p: string, b: object) => t.http().patch(`${API}${p}`).auth(u.token, { type: 'bearer' }).send(b),
  });
  /** The body as bytes, whatever the content type. */
  const download = (u: TestUser, path: string) => as(u).get(path).responseType('blob');

  /**
   * A client named with non-Latin-1 letters, enrolled in `frameworks`, with controls in every state, overdue and
   * unowned ones, scoped-out ones (one with a justification taller than a page), and evidence uploaded and reviewed
   * through the API: one file linked across frameworks, two files of the same name on one control, one expiring, one
   * pending, one withdrawn.
   */
  async function seeded(frameworks: string[]) {
    const c = await t.clientWithRoles();
    const name = `Zürich Café Ünïcode ${randomUUID().slice(0, 8)}`;
    const consultant = as(c.consultant);
    await consultant.patch(`/clients/${c.clientId}`, { name }).expect(200);
    for (const framework of frameworks) await consultant.post(`/clients/${c.clientId}/frameworks`, { framework }).expect(201);
    const controls: Ctl[] = (await consultant.get(`/clients/${c.clientId}/controls?pageSize=500`).expect(200)).body.items;
    const of = (f: string) => controls.filter((x) => x.framework === f);
    const set = (x: Ctl, body: object) => consultant.patch(`/clients/${c.clientId}/controls/${x.id}`, body).expect(200);

    const justifications: string[] = [];
    for (const f of frameworks) {
      const cs = of(f);
      for (const x of cs.slice(0, 3)) await set(x, { status: 'implemented', ownerId: c.member.id, dueDate: day(30) });
      await set(cs[3], { status: 'in_progress', ownerId: c.consultant.id, dueDate: day(-12) });
      await set(cs[4], { status: 'in_progress', dueDate: day(-2) });
      await set(cs[5], { dueDate: day(-40), ownerId: c.member.id });
      await set(cs[6], { dueDate: day(5) });
      for (const x of cs.slice(7, 9)) {
        const j = `Außerhalb des Geltungsbereichs (${f} ${x.ref}): no card data, no office – ${randomUUID()}`;
        justifications.push(j);
        await set(x, { applicable: false, justification: j });
      }
    }
    // A justification taller than a page (220 lines): the register must split it across pages without losing a word.
    const longJustification = Array.from({ length: 660 }, (_, i) => `w${String(i).padStart(4, '0')}`).reduce((s, w, i) => s + (i === 0 ? '' : i % 3 === 0 ? '\n' : ' ') + w, '');
    await set(of(frameworks[0])[9], { applicable: false, justification: longJustification });

    const upload = async (file: Buffer, filename: string, title: string, controlIds: string[], fields: Record<string, string> = {}) => {
      let req = t.http().post(`${API}/clients/${c.clientId}/evidence`).auth(c.member.token, { type: 'bearer' }).field('title', title);
      for (const [k, v] of Object.entries({ ...fields, controlIds: controlIds.join(',') })) req = req.field(k, v);
      const res = await req.attach('file', file, { filename, contentType: 'application/octet-stream' }).expect(201);
      return { id: res.body.id as string, sha256: res.body.sha256 as string, name: res.body.originalFilename as string, bytes: file };
    };
    const review = (id: string) => consultant.post(`/clients/${c.clientId}/evidence/${id}/review`, { decision: 'accepted' }).expect(200);
    const first = of(frameworks[0]);
    const second = of(frameworks[frameworks.length - 1]);
    const shared = await upload(Buffer.from(`Zugriffsprüfung Q3 ${randomUUID()}\n`), 'Zugriffsprüfung Q3.txt', 'Access review Q3', [first[0].id, second[1].id]);
    const sameName = await upload(Buffer.from(`another review ${randomUUID()}\n`), 'Zugriffsprüfung Q3.txt', 'Access review, other team', [first[0].id]);
    const expiring = await upload(randomBytes(2048), 'mfa-config.bin', 'MFA configuration export', [first[1].id], { validUntil: day(10) });
    const pending = await upload(Buffer.from(`policy ${randomUUID()}`), 'policy.txt', 'Security policy draft', [first[2].id]);
    const withdrawn = await upload(Buffer.from(`old ${randomUUID()}`), 'old.txt', 'Superseded export', [first[2].id]);
    for (const e of [shared, sameName, expiring, withdrawn]) await review(e.id);
    await consultant.post(`/clients/${c.clientId}/evidence/${withdrawn.id}/withdraw`, { reason: 'superseded' }).expect(200);

    const readiness = (await consultant.get(`/clients/${c.clientId}/readiness`).expect(200)).body as { asOf: string; frameworks: (Counts & { sections: unknown[] })[] };
    const after: Ctl[] = (await consultant.get(`/clients/${c.clientId}/controls?pageSize=500`).expect(200)).body.items;
    return { ...c, name, controls: after, readiness, justifications, longJustification, evidence: { shared, sameName, expiring, pending, withdrawn } };
  }

  describe('gap-analysis.pdf', () => {
    it('shows the client, frameworks, readiness numbers, every gap, every justification and every evidence hash, numbered "Page X of Y"', async () => {
      const s = await seeded(['soc2', 'hipaa']);
      const res = await download(s.auditor, `/clients/${s.clientId}/reports/gap-analysis.pdf`).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?gap-analysis-zurich-cafe-unicode-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.pdf"?$/);
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf);
      const flat = words(text);

      expect(text).toContain(s.name);
      for (const f of s.readiness.frameworks) {
        expect(flat).toContain(f.name);
        expect(flat).toContain(`Version: ${f.version}`);
        expect(flat).toContain(
          `Readiness ${scoreText(f.score)}: ${f.met} met, ${f.partial} partial and ${f.gap} gap of ${f.applicable} applicable controls; ${f.notApplicable} not applicable.`,
        );
        expect(flat).toContain(`Gaps and partially met controls (${f.gap + f.partial})`);
      }
      for (const x of s.controls.filter((c) => c.state === 'gap' || c.state === 'partial')) expect(text).toContain(x.ref);
      const raw = squash(pdfText(pdf, { mode: 'raw' }));
      for (const j of s.justifications) expect(raw).toContain(squash(j));
      const seen = text.match(/\bw\d{4}\b/g);
      expect(seen).toEqual(s.longJustification.split(/\s+/));
      const longPages = Array.from({ length: Number(pdfInfo(pdf).Pages) }, (_, i) => pdfText(pdf, { page: i + 1 })).filter((p) => /w\d{4}/.test(p));
      expect(longPages.length).toBeGreaterThan(1);
      for (const p of longPages.slice(1)) {
        expect(words(p)).toMatch(/not-applicable register \(continued\) Ref Title Justification \S+ w\d{4}/);
        expect(p).toContain('(cont.)');
      }
      for (const e of [s.evidence.shared, s.evidence.sameName, s.evidence.expiring, s.evidence.pending]) expect(squash(text)).toContain(e.sha256);
      expect(squash(text)).not.toContain(s.evidence.withdrawn.sha256);
      expect(text).toContain('Zugriffsprüfung Q3.txt');
      expect(flat).toContain('Score = (met + 0.5 × partial) ÷ applicable × 100');

      const info = pdfInfo(pdf);
      const pages = Number(info.Pages);
      expect(pages).toBeGreaterThan(6);
      expect(info.Title).toBe(`Gap analysis: ${s.name}`);
      expect(info.Author).toBe(s.auditor.email.split('@')[0]);
      expect(info.Subject).toContain('SOC 2');
      for (let page = 1; page <= pages; page++) {
        const own = pdfText(pdf, { page });
        expect(own).toContain(`Page ${page} of ${pages}`);
        expect(own.match(/Page \d+ of \d+/g)).toHaveLength(1);
      }
      // Nothing runs into the side margins (50 pt) or off the page.
      const boxes = pdfWords(pdf);
      expect(new Set(boxes.map((w) => w.page)).size).toBe(pages);
      expect(boxes.filter((w) => w.xMin < 49 || w.xMax > w.width - 49 || w.yMin < 10 || w.yMax > w.height - 10)).toEqual([]);
      const fonts = execFileSync('pdffonts', [pdfFile(pdf)]).toString();
      expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    });

    it('narrows to one framework; refuses a malformed framework key (400) and a framework the client is not enrolled in (404)', async () => {
      const s = await seeded(['soc2', 'hipaa']);
      const hipaa = s.readiness.frameworks.find((f) => f.framework === 'hipaa')!;
      const soc2 = s.readiness.frameworks.find((f) => f.framework === 'soc2')!;
      const text = words(pdfText((await download(s.consultant, `/clients/${s.clientId}/reports/gap-analysis.pdf?framework=hipaa`).expect(200)).body));
      expect(text).toContain(`Version: ${hipaa.version}`);
      expect(text).not.toContain(soc2.version);
      const json = (await as(s.consultant).get(`/clients/${s.clientId}/reports/gap-analysis.json?framework=hipaa`).expect(200)).body;
      expect(json.frameworks.map((f: Counts) => f.framework)).toEqual(['hipaa']);
      for (const r of REPORTS.slice(0, 3)) {
        const bad = await as(s.consultant).get(`/clients/${s.clientId}/reports/${r}?framework=${encodeURIComponent('../SOC 2')}`).expect(400);
        expect(bad.body.message).toMatch(/^framework must be/);
        for (const other of ['pci-dss', 'iso27001']) {
          const missing = await as(s.consultant).get(`/clients/${s.clientId}/reports/${r}?framework=${other}`).expect(404);
          expect(missing.body.message).toBe(`The client is not enrolled in ${other}`);
        }
        await as(s.consultant).get(`/clients/${s.clientId}/reports/${r}?framework=soc2&framework=hipaa`).expect(400);
        await as(s.consultant).get(`/clients/${s.clientId}/reports/${r}?other=1`).expect(400);
      }
    });

    it('renders a client with no framework yet', async () => {
      const c = await t.clientWithRoles();
      const text = words(pdfText((await download(c.consultant, `/clients/${c.clientId}/reports/gap-analysis.pdf`).expect(200)).body));
      expect(text).toContain('The client is not enrolled in any framework');
      expect(text).toContain('Page 1 of');
    });
  });

  describe('gap-analysis.json and .csv', () => {
    it('carries exactly the readiness numbers, every control once, and the open items by due date', async () => {
      const s = await seeded(['soc2', 'hipaa']);
      const res = await as(s.auditor).get(`/clients/${s.clientId}/reports/gap-analysis.json`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?gap-analysis-zurich-cafe-unicode-.*\.json"?$/);
      const report = res.body;
      expect(report).toMatchObject({ clientId: s.clientId, clientName: s.name, asOf: s.readiness.asOf, preparedBy: { email: s.auditor.email } });
      expect(report.frameworks.map(({ controls: _c, ...rest }: { controls: unknown }) => rest)).toEqual(s.readiness.frameworks);
      const all = report.frameworks.flatMap((f: { controls: Ctl[] }) => f.controls);
      expect(all).toHaveLength(s.controls.length);
      const byRef = new Map(s.controls.map((x) => [`${x.framework} ${x.ref}`, x]));
      for (const x of all) expect(x.state).toBe(byRef.get(`${x.framework} ${x.ref}`)!.state);

      const open = all.filter((x: Ctl) => x.state === 'gap' || x.state === 'partial');
      expect(report.remediation).toHaveLength(open.length);
      const due = report.remediation.map((x: { dueDate: string | null }) => x.dueDate ?? '9999');
      expect(due).toEqual([...due].sort());
      expect(report.remediation[0]).toMatchObject({ dueDate: day(-40), daysOverdue: 40, state: 'gap' });
      expect(report.mostOverdue[0]).toMatchObject({ daysOverdue: 40 });
      expect(report.risks.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['overdue', 'unowned', 'expiring_evidence']));
      expect(report.expiringEvidence.map((e: { sha256: string }) => e.sha256)).toEqual([s.evidence.expiring.sha256]);
      const shas = report.evidence.map((e: { sha256: string }) => e.sha256).sort();
      expect(shas).toEqual([s.evidence.shared, s.evidence.sameName, s.evidence.expiring, s.evidence.pending].map((e) => e.sha256).sort());
      const shared = report.evidence.find((e: { id: string }) => e.id === s.evidence.shared.id);
      expect(shared.controls.map((c: { framework: string }) => c.framework).sort()).toEqual(['hipaa', 'soc2']);
    });

    it('exports one CSV row per control with the same fields', async () => {
      const s = await seeded(['soc2', 'hipaa']);
      const res = await download(s.auditor, `/clients/${s.clientId}/reports/gap-analysis.csv`).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?gap-analysis-zurich-cafe-unicode-.*\.csv"?$/);
      const text = (res.body as Buffer).toString('utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const [header, ...withFooter] = parseCsv(text.slice(1));
      // The last row is the audit chain head, not a control.
      const rows = withFooter.slice(0, -1);
      expect(withFooter[withFooter.length - 1].slice(0, 3)).toEqual(['#audit-chain-head', expect.stringMatching(/^\d+$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
      expect(header).toEqual([
        'framework',
        'ref',
        'title',
        'section',
        'state',
        'status',
        'owner',
        'owner_email',
        'due_date',
        'days_overdue',
        'applicable',
        'justification',
        'evidence_count',
      ]);
      expect(rows).toHaveLength(s.controls.length);
      expect(rows.every((r) => r.length === header.length)).toBe(true);
      const json = (await as(s.auditor).get(`/clients/${s.clientId}/reports/gap-analysis.json`).expect(200)).body;
      const controls = json.frameworks.flatMap((f: { controls: Record<string, unknown>[] }) => f.controls);
      rows.forEach((r, i) => {
        const c = controls[i];
        expect(r).toEqual([
          c.framework,
          c.ref,
          c.title,
          c.section,
          c.state,
          c.status,
          c.ownerName ?? '',
          c.ownerEmail ?? '',
          c.dueDate ?? '',
          c.daysOverdue === null ? '' : String(c.daysOverdue),
          String(c.applicable),
          c.justification ?? '',
          String(c.evidenceCount),
        ]);
      });
      const counts = (state: string) => rows.filter((r) => r[4] === state).length;
      const total = (k: 'met' | 'partial' | 'gap' | 'notApplicable') => s.readiness.frameworks.reduce((n, f) => n + f[k], 0);
      expect([counts('met'), counts('partial'), counts('gap'), counts('not_applicable')]).toEqual([total('met'), total('partial'), total('gap'), total('notApplicable')]);
      expect(rows.find((r) => r[11] === s.longJustification)).toBeDefined();
    });
  });

  describe('evidence-package.zip', () => {
    it('holds the PDF, every current linked file under <framework>/<ref>/ and manifests whose hashes match the bytes', async () => {
      const s = await seeded(['soc2', 'hipaa']);
      const res = await download(s.auditor, `/clients/${s.clientId}/reports/evidence-package.zip`).expect(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?evidence-package-zurich-cafe-unicode-.*\.zip"?$/);
      const files = await unzip(res.body);
      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));

      const pdf = files.get('gap-analysis.pdf')!;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(manifest.report).toEqual({ path: 'gap-analysis.pdf', sha256: sha(pdf), size: pdf.length });
      expect(manifest.auditChainHead).toEqual({ position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(pdfText(pdf)).toContain(s.name);

      const soc2 = (r: string) => `soc2/${r}/`;
      const first = s.controls.filter((x) => x.framework === 'soc2');
      const last = s.controls.filter((x) => x.framework === 'hipaa');
      const name = 'Zugriffsprüfung Q3.txt';
      expect([s.evidence.shared.name, s.evidence.sameName.name]).toEqual([name, name]);
      const stem = 'Zugriffsprüfung Q3';
      expect([...files.keys()].sort()).toEqual(
        [
          'gap-analysis.pdf',
          'manifest.json',
          'manifest.csv',
          `${soc2(first[0].ref)}${name}`,
          `${soc2(first[0].ref)}${stem} (2).txt`,
          `hipaa/${last[1].ref}/${name}`,
          `${soc2(first[1].ref)}mfa-config.bin`,
          `${soc2(first[2].ref)}policy.txt`,
        ].sort(),
      );
      expect(manifest.files).toHaveLength(4);
      for (const f of manifest.files) {
        for (const p of f.paths) {
          expect(sha(files.get(p)!)).toBe(f.sha256);
          expect(files.get(p)!.length).toBe(f.size);
        }
        expect(f.verified).toBe(true);
      }
      const shared = manifest.files.find((f: { evidenceId: string }) => f.evidenceId === s.evidence.shared.id);
      expect(shared).toMatchObject({ sha256: s.evidence.shared.sha256, reviewState: 'accepted', controls: [{ framework: 'hipaa', ref: last[1].ref }, { framework: 'soc2', ref: first[0].ref }] });
      expect(files.get(shared.paths[0])!.equals(s.evidence.shared.bytes)).toBe(true);
      expect(manifest.files.find((f: { evidenceId: string }) => f.evidenceId === s.evidence.pending.id).reviewState).toBe('pending');
      expect(manifest.files.some((f: { evidenceId: string }) => f.evidenceId === s.evidence.withdrawn.id)).toBe(false);

      const [header, ...rows] = parseCsv(files.get('manifest.csv')!.toString('utf8').replace(/^\ufeff/, ''));
      expect(header.slice(0, 3)).toEqual(['path', 'sha256', 'size']);
      expect(rows).toHaveLength(files.size - 2);
      for (const [path, hash, size] of rows) {
        expect(sha(files.get(path)!)).toBe(hash);
        expect(Number(size)).toBe(files.get(path)!.length);
      }
    });

    it('cuts the download off (never a complete-looking zip) when a stored file is missing', async () => {
      const s = await seeded(['soc2']);
      const stored = (dir: string): string[] =>
        existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? stored(join(dir, d.name)) : [join(dir, d.name)])) : [];
      const victim = stored(join(dataDir, 'evidence')).find((f) => f.endsWith(s.evidence.expiring.sha256));
      expect(victim).toBeDefined();
      rmSync(victim!);
      // Depending on timing the failure comes before the headers (500) or after (connection cut): never a whole zip.
      const outcome = await download(s.consultant, `/clients/${s.clientId}/reports/evidence-package.zip`).then(
        async (r) => (r.status === 200 ? unzip(r.body).then(() => 'complete zip') : `status ${r.status}`),
        () => 'cut off',
      );
      expect(['cut off', 'status 500']).toContain(outcome);
    });
  });

  describe('access and audit', () => {
    it('lets consultants, auditors and admins download; refuses members (403), outsiders (404) and anonymous callers (401)', async () => {
      const c = await t.clientWithRoles();
      await as(c.consultant).post(`/clients/${c.clientId}/frameworks`, { framework: 'soc2' }).expect(201);
      for (const r of REPORTS) {
        const path = `/clients/${c.clientId}/reports/${r}`;
        for (const u of [c.consultant, c.auditor, c.admin]) await download(u, path).expect(200);
        await download(c.member, path).expect(403);
        await download(c.outsider, path).expect(404);
        await t.http().get(`${API}${path}`).expect(401);
        await download(c.consultant, `/clients/not-a-uuid/reports/${r}`).expect(400);
        await download(c.admin, `/clients/${randomUUID()}/reports/${r}`).expect(404);
      }
    });

    it('records every download as an audit event before sending it', async () => {
      const c = await t.clientWithRoles();
      await as(c.consultant).post(`/clients/${c.clientId}/frameworks`, { framework: 'hipaa' }).expect(201);
      for (const r of REPORTS) await download(c.auditor, `/clients/${c.clientId}/reports/${r}${r.startsWith('gap') ? '?framework=hipaa' : ''}`).expect(200);
      await download(c.member, `/clients/${c.clientId}/reports/gap-analysis.pdf`).expect(403);
      const events = (await as(c.consultant).get(`/clients/${c.clientId}/audit-events?entityType=report&pageSize=50`).expect(200)).body.items;
      expect(events).toHaveLength(4);
      expect(events.map((e: { entityId: string }) => e.entityId).sort()).toEqual([...REPORTS].sort());
      for (const e of events) {
        expect(e).toMatchObject({ action: 'report.download', entityType: 'report', actorUserId: c.auditor.id });
      }
      const pdf = events.find((e: { entityId: string }) => e.entityId === 'gap-analysis.pdf');
      expect(pdf.after).toMatchObject({ file: 'gap-analysis.pdf', framework: 'hipaa', frameworks: [{ framework: 'hipaa' }] });
    });
  });
});
