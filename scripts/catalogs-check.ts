/**
 * npm run catalogs:check [-- --dir controls --reference ../shared/reference]
 * Validates every catalog and mapping file, compares each catalog with the official identifier lists (when the
 * reference folder is present) and checks mapping coverage. Exits 1 on any error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { CatalogFile, readCatalogSet } from 'src/catalogs/catalog-files';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return resolve(i > 0 ? process.argv[i + 1] : fallback);
};
const dir = arg('dir', 'controls');
const referenceDir = arg('reference', '../shared/reference');
const out = (line: string) => process.stdout.write(`${line}\n`);

interface Reference {
  soc2: { criteria: { id: string }[] };
  hipaa: { security_rule: { citation: string; kind: string }[]; breach_notification_rule: { citation: string; kind: string }[] };
  pci: { requirements: { id: string }[]; principal_requirements: { id: string }[] };
}

function referenceIds(ref: Reference): Record<string, string[]> {
  return {
    soc2: ref.soc2.criteria.map((c) => c.id),
    hipaa: [
      ...ref.hipaa.security_rule.map((e) => e.citation),
      ...ref.hipaa.breach_notification_rule.filter((e) => e.kind === 'standard' || e.kind === 'implementation_specification').map((e) => e.citation),
    ],
    'pci-dss': ref.pci.requirements.map((r) => r.id),
  };
}

function main(): number {
  const set = readCatalogSet(dir);
  const errors = [...set.errors];

  out('Catalogs:');
  for (const c of set.catalogs) {
    out(`  ${c.data.framework.key.padEnd(8)} ${c.data.framework.version.padEnd(60)} ${String(c.data.requirements.length).padStart(4)} requirements, ${c.data.sections.length} sections`);
  }
  out(`  total trackable requirements: ${set.catalogs.reduce((n, c) => n + c.data.requirements.length, 0)}`);

  if (existsSync(referenceDir)) {
    const read = (f: string) => JSON.parse(readFileSync(join(referenceDir, f), 'utf8'));
    const ids = referenceIds({ soc2: read('soc2-tsc-2017.json'), hipaa: read('hipaa-security-rule.json'), pci: read('pci-dss-4.0.1.json') });
    out(`Reference comparison (${referenceDir}):`);
    for (const c of set.catalogs) {
      const expected = new Set(ids[c.data.framework.key]);
      const actual = new Set(c.data.requirements.map((r) => r.ref));
      const missing = [...expected].filter((r) => !actual.has(r));
      const extra = [...actual].filter((r) => !expected.has(r));
      out(`  ${c.data.framework.key.padEnd(8)} reference ${expected.size}, catalog ${actual.size}, missing ${missing.length}, extra ${extra.length}`);
      if (missing.length) errors.push(`${c.file}: missing ${missing.join(', ')}`);
      if (extra.length) errors.push(`${c.file}: not in the reference: ${extra.join(', ')}`);
    }
  } else {
    out(`Reference folder ${referenceDir} not found: completeness not compared`);
  }

  out('Mappings:');
  for (const m of set.mappings) {
    const eq = m.data.links.filter((l) => l.strength === 'equivalent').length;
    out(`  ${m.file.padEnd(30)} ${String(m.data.links.length).padStart(4)} links (${eq} equivalent)`);
  }
  errors.push(...coverageErrors(set.catalogs.map((c) => c.data), set.mappings.map((m) => m.data)));

  if (errors.length) {
    out(`\n${errors.length} error(s):`);
    for (const e of errors) out(`  - ${e}`);
    return 1;
  }
  out('\nAll catalogs and mappings are valid.');
  return 0;
}

/** Every HIPAA Security Rule standard and every PCI DSS principal requirement has at least one SOC 2 link. */
function coverageErrors(catalogs: CatalogFile[], mappings: { from: string; to: string; links: { from: string; to: string }[] }[]): string[] {
  const linked = (framework: string) =>
    new Set(
      mappings.flatMap((m) =>
        m.from === 'soc2' && m.to === framework ? m.links.map((l) => l.to) : m.to === 'soc2' && m.from === framework ? m.links.map((l) => l.from) : [],
      ),
    );
  const errors: string[] = [];
  const hipaa = catalogs.find((c) => c.framework.key === 'hipaa');
  if (hipaa) {
    const soc2Linked = linked('hipaa');
    for (const r of hipaa.requirements) {
      if (r.attributes.rule === 'security' && r.attributes.kind === 'standard' && !soc2Linked.has(r.ref)) {
        errors.push(`coverage: HIPAA standard ${r.ref} has no SOC 2 link`);
      }
    }
  }
  const pci = catalogs.find((c) => c.framework.key === 'pci-dss');
  if (pci) {
    const soc2Linked = linked('pci-dss');
    const principals = new Set(pci.requirements.filter((r) => soc2Linked.has(r.ref)).map((r) => String(r.attributes.principalRequirement)));
    for (let p = 1; p <= 12; p++) if (!principals.has(String(p))) errors.push(`coverage: PCI DSS requirement ${p} has no SOC 2 link`);
  }
  return errors;
}

process.exit(main());
