import archiver from 'archiver';
import { stringify } from 'csv-stringify/sync';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';

import { sanitizeFilename } from 'src/evidence/upload/sniff';
import { EvidenceIndexEntryDto, GapReportDto } from 'src/reports/reports.dto';

export const PACKAGE_PDF = 'gap-analysis.pdf';

/** One evidence file of the package and where it sits. */
export interface PackageEntry {
  path: string;
  evidence: EvidenceIndexEntryDto;
}

/** A path segment safe on every unzip tool and file system: no separators, reserved or control characters, no dot names. */
export function safeSegment(name: string): string {
  const clean = sanitizeFilename(name)
    .replace(/[<>:"|?*\\/]/g, '_')
    .replace(/[. ]+$/, '');
  return clean || '_';
}

/**
 * `<framework>/<ref>/<file name>` for every link of every evidence file (a file linked to several controls appears
 * under each). Two different files with the same name under one control get " (2)", " (3)" before the extension.
 */
export function packageEntries(evidence: EvidenceIndexEntryDto[]): PackageEntry[] {
  const taken = new Set<string>();
  const entries: PackageEntry[] = [];
  for (const e of evidence) {
    const name = safeSegment(e.fileName);
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (const c of e.controls) {
      const dir = `${safeSegment(c.framework)}/${safeSegment(c.ref)}/`;
      let path = `${dir}${name}`;
      for (let n = 2; taken.has(path.toLowerCase()); n++) path = `${dir}${stem} (${n})${ext}`;
      taken.add(path.toLowerCase());
      entries.push({ path, evidence: e });
    }
  }
  return entries;
}

interface Digest {
  sha256: string;
  size: number;
}

/** Passes bytes through while hashing them; `done` receives the digest when the stream ends. */
function hashing(done: (d: Digest) => void): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      done({ sha256: hash.digest('hex'), size });
      cb();
    },
  });
}

/** Media types that are already compressed: stored as they are rather than deflated again. */
const isCompressed = (mediaType: string) =>
  /^(image|audio|video)\//.test(mediaType) || /(pdf|zip|gzip|x-7z|x-rar|x-bzip2|x-xz|zstd|openxmlformats|opendocument|epub)/.test(mediaType);

/**
 * The auditor's evidence package as a streamed zip: the gap-analysis PDF, every evidence file under
 * `<framework>/<ref>/`, then `manifest.json` and `manifest.csv`.
 *
 * archiver starts reading a source as soon as it is appended, so each evidence file is opened and appended only when
 * the previous entry is done ('entry' event): one file open at a time, whatever the size of the package. Each entry
 * is hashed as it passes, so the manifests, written last, state whether the bytes sent match the SHA-256 on record.
 */
export function createEvidencePackage(report: GapReportDto, pdf: Readable, open: (sha256: string) => Promise<Readable>): Readable {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const entries = packageEntries(report.evidence);
  const digests = new Map<string, Digest>();
  let current: Readable | undefined;
  let next = 0;

  // A failing source (e.g. an object missing from storage) fails the whole download: the response is then cut off
  // rather than ended, so a client never takes a partial package for a complete one.
  const fail = (e: unknown) => zip.destroy(e instanceof Error ? e : new Error(String(e)));
  const append = (path: string, source: Readable, data: Omit<archiver.ZipEntryData, 'name'>) => {
    current = source;
    source.on('error', fail);
    zip.append(source.pipe(hashing((d) => digests.set(path, d))), { ...data, name: path });
  };
  const appendNext = async () => {
    if (next < entries.length) {
      const { path, evidence } = entries[next++];
      const source = await open(evidence.sha256);
      if (zip.destroyed) source.destroy();
      else append(path, source, { store: isCompressed(evidence.mediaType), date: new Date(evidence.uploadedAt) });
    } else if (next++ === entries.length) {
      zip.append(manifestJson(report, entries, digests), { name: 'manifest.json' });
      zip.append(manifestCsv(entries, digests), { name: 'manifest.csv' });
      await zip.finalize();
    }
  };
  zip.on('entry', () => void appendNext().catch(fail));
  // The client went away: close the evidence file being read.
  zip.on('close', () => current?.destroy());

  append(PACKAGE_PDF, pdf, { store: true });
  return zip;
}

function manifestJson(report: GapReportDto, entries: PackageEntry[], digests: Map<string, Digest>): string {
  const pdf = digests.get(PACKAGE_PDF);
  const files = report.evidence.map((e) => {
    const paths = entries.filter((x) => x.evidence === e).map((x) => x.path);
    return {
      evidenceId: e.id,
      title: e.title,
      fileName: e.fileName,
      mediaType: e.mediaType,
      size: e.size,
      sha256: e.sha256,
      verified: paths.every((p) => digests.get(p)?.sha256 === e.sha256),
      reviewState: e.reviewState,
      effectiveDate: e.effectiveDate,
      validUntil: e.validUntil,
      uploadedBy: e.uploadedBy,
      uploadedAt: e.uploadedAt,
      controls: e.controls.map(({ framework, ref }) => ({ framework, ref })),
      paths,
    };
  });
  return JSON.stringify(
    {
      client: { id: report.clientId, name: report.clientName },
      asOf: report.asOf,
      generatedAt: report.generatedAt,
      preparedBy: report.preparedBy,
      auditChainHead: report.auditChainHead,
      frameworks: report.frameworks.map((f) => ({ framework: f.framework, name: f.name, version: f.version, score: f.score })),
      report: { path: PACKAGE_PDF, sha256: pdf?.sha256 ?? null, size: pdf?.size ?? null },
      files,
    },
    null,
    2,
  );
}

function manifestCsv(entries: PackageEntry[], digests: Map<string, Digest>): string {
  const pdf = digests.get(PACKAGE_PDF);
  const rows = [
    { path: PACKAGE_PDF, sha256: pdf?.sha256, size: pdf?.size, title: 'Gap-analysis report' },
    ...entries.map(({ path, evidence: e }) => ({
      path,
      sha256: e.sha256,
      size: e.size,
      evidenceId: e.id,
      title: e.title,
      reviewState: e.reviewState,
      validUntil: e.validUntil,
      controls: e.controls.map((c) => `${c.framework} ${c.ref}`).join('; '),
      verified: digests.get(path)?.sha256 === e.sha256,
    })),
  ];
  return stringify(rows, {
    header: true,
    bom: true,
    escape_formulas: true,
    cast: { boolean: (b) => (b ? 'true' : 'false') },
    columns: [
      { key: 'path', header: 'path' },
      { key: 'sha256', header: 'sha256' },
      { key: 'size', header: 'size' },
      { key: 'evidenceId', header: 'evidence_id' },
      { key: 'title', header: 'title' },
      { key: 'reviewState', header: 'review_state' },
      { key: 'validUntil', header: 'valid_until' },
      { key: 'controls', header: 'controls' },
      { key: 'verified', header: 'verified' },
    ],
  });
}
