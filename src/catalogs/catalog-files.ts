import Ajv2020 from 'ajv/dist/2020';
import { load as parseYaml } from 'js-yaml';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The shape of controls/<framework>.yaml (validated by controls/catalog.schema.json). */
export interface CatalogFile {
  framework: { key: FrameworkKey; name: string; version: string; publisher: string; effectiveDate: string; description?: string; rollupDepth?: number };
  sections: { ref: string; title: string; parent?: string; description?: string }[];
  requirements: {
    ref: string;
    title: string;
    section: string;
    parent?: string;
    aliases?: string[];
    description: string;
    evidence: string[];
    attributes: Record<string, unknown>;
  }[];
}

/** The shape of controls/mappings/<a>-<b>.yaml (validated by controls/mapping.schema.json). */
export interface MappingFile {
  from: FrameworkKey;
  to: FrameworkKey;
  description?: string;
  links: { from: string; to: string; strength: 'equivalent' | 'related'; rationale: string }[];
}

/** The frameworks the product ships; any other `<key>.yaml` in the catalogs folder loads the same way. */
export const FRAMEWORK_KEYS = ['soc2', 'hipaa', 'pci-dss'] as const;
/** A framework's stable key: lowercase letters, digits and dashes (e.g. `soc2`, `iso27001`). */
export type FrameworkKey = string;
export const FRAMEWORK_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export interface Loaded<T> {
  file: string;
  sha256: string;
  data: T;
}

export interface CatalogSet {
  catalogs: Loaded<CatalogFile>[];
  mappings: Loaded<MappingFile>[];
  errors: string[];
}

function readYaml(path: string): { sha256: string; data: unknown } {
  const raw = readFileSync(path);
  return { sha256: createHash('sha256').update(raw).digest('hex'), data: parseYaml(raw.toString('utf8')) };
}

/** Full ancestry of a section, top first, e.g. ["Security (Common Criteria)", "Logical and Physical Access Controls"]. */
export function sectionPath(catalog: CatalogFile, sectionRef: string): { ref: string; title: string }[] {
  const byRef = new Map(catalog.sections.map((s) => [s.ref, s]));
  const path: { ref: string; title: string }[] = [];
  const seen = new Set<string>();
  for (let s = byRef.get(sectionRef); s && !seen.has(s.ref); s = s.parent ? byRef.get(s.parent) : undefined) {
    seen.add(s.ref);
    path.unshift({ ref: s.ref, title: s.title });
  }
  return path;
}

function checkCatalog(c: Loaded<CatalogFile>, errors: string[]): void {
  const { data, file } = c;
  const sections = new Set<string>();
  for (const s of data.sections) {
    if (sections.has(s.ref)) errors.push(`${file}: section ${s.ref} appears twice`);
    sections.add(s.ref);
  }
  for (const s of data.sections) {
    if (s.parent && !sections.has(s.parent)) errors.push(`${file}: section ${s.ref} has unknown parent ${s.parent}`);
  }
  const refs = new Set<string>();
  for (const r of data.requirements) {
    if (refs.has(r.ref)) errors.push(`${file}: requirement ${r.ref} appears twice`);
    refs.add(r.ref);
  }
  for (const r of data.requirements) {
    if (!sections.has(r.section)) errors.push(`${file}: requirement ${r.ref} is in unknown section ${r.section}`);
    if (r.parent && !refs.has(r.parent)) errors.push(`${file}: requirement ${r.ref} has unknown parent ${r.parent}`);
    for (const a of r.aliases ?? []) {
      if (refs.has(a)) errors.push(`${file}: alias ${a} of ${r.ref} is the ref of another requirement`);
    }
  }
}

/**
 * Reads and validates every catalog and mapping file under `dir`: JSON Schema, unique ids, existing parents and
 * sections, mapping ends that exist. Never throws for content problems: they are returned as `errors`.
 */
export function readCatalogSet(dir: string): CatalogSet {
  const errors: string[] = [];
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validateCatalog = ajv.compile(JSON.parse(readFileSync(join(dir, 'catalog.schema.json'), 'utf8')));
  const validateMapping = ajv.compile(JSON.parse(readFileSync(join(dir, 'mapping.schema.json'), 'utf8')));
  const fmt = (file: string, errs: typeof validateCatalog.errors) =>
    (errs ?? []).slice(0, 20).map((e) => `${file}: ${e.instancePath || '/'} ${e.message}`);

  const catalogs: Loaded<CatalogFile>[] = [];
  const catalogFiles = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  for (const key of FRAMEWORK_KEYS) {
    if (!catalogFiles.includes(`${key}.yaml`)) errors.push(`${key}.yaml: missing`);
  }
  for (const file of catalogFiles) {
    let parsed: { sha256: string; data: unknown };
    try {
      parsed = readYaml(join(dir, file));
    } catch (e) {
      errors.push(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const { sha256, data } = parsed;
    if (!validateCatalog(data)) {
      errors.push(...fmt(file, validateCatalog.errors));
      continue;
    }
    const c = { file, sha256, data: data as CatalogFile };
    if (`${c.data.framework.key}.yaml` !== file) errors.push(`${file}: framework.key is ${c.data.framework.key}; the file must be named ${c.data.framework.key}.yaml`);
    checkCatalog(c, errors);
    catalogs.push(c);
  }

  const refsByKey = new Map(catalogs.map((c) => [c.data.framework.key, new Set(c.data.requirements.map((r) => r.ref))]));
  const mappings: Loaded<MappingFile>[] = [];
  const mappingDir = join(dir, 'mappings');
  const files = existsSync(mappingDir) ? readdirSync(mappingDir).filter((f) => f.endsWith('.yaml')).sort() : [];
  for (const f of files) {
    const file = `mappings/${basename(f)}`;
    let parsed: { sha256: string; data: unknown };
    try {
      parsed = readYaml(join(mappingDir, f));
    } catch (e) {
      errors.push(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const { sha256, data } = parsed;
    if (!validateMapping(data)) {
      errors.push(...fmt(file, validateMapping.errors));
      continue;
    }
    const m = data as MappingFile;
    if (m.from === m.to) errors.push(`${file}: maps ${m.from} to itself`);
    const pairs = new Set<string>();
    for (const l of m.links) {
      if (!refsByKey.get(m.from)?.has(l.from)) errors.push(`${file}: ${m.from} has no requirement ${l.from}`);
      if (!refsByKey.get(m.to)?.has(l.to)) errors.push(`${file}: ${m.to} has no requirement ${l.to}`);
      const pair = `${l.from} -> ${l.to}`;
      if (pairs.has(pair)) errors.push(`${file}: link ${pair} appears twice`);
      pairs.add(pair);
    }
    mappings.push({ file, sha256, data: m });
  }
  return { catalogs, mappings, errors };
}
