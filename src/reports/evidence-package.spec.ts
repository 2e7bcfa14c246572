import { ReviewState } from 'src/evidence/evidence.dto';
import { packageEntries, safeSegment } from 'src/reports/evidence-package';
import { EvidenceIndexEntryDto } from 'src/reports/reports.dto';

const evidence = (id: string, fileName: string, refs: [string, string][]): EvidenceIndexEntryDto => ({
  id,
  title: id,
  fileName,
  mediaType: 'text/plain',
  size: 1,
  sha256: id.padEnd(64, '0'),
  uploadedBy: 'Ann',
  uploadedAt: '2025-01-01T00:00:00Z',
  effectiveDate: '2025-01-01',
  validUntil: null,
  reviewState: ReviewState.Accepted,
  controls: refs.map(([framework, ref]) => ({ framework, ref, applicable: true })),
});

describe('evidence package layout', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['Zugriffsprüfung Q3.txt', 'Zugriffsprüfung Q3.txt'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\temp\\a.txt', 'a.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['..', 'file'],
    ['name. . ', 'name'],
    ['tab\there\u0000.txt', 'tabhere.txt'],
    ['164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(A)'],
    // Bidi and other invisible characters never reach an entry name (stored names from before the rule included).
    ['invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['\u2066x\u2069\u200f\u061c.pdf', 'x.pdf'],
    ['name\u200b.\u202e', 'name'],
  ])('makes %j a safe path segment: %j', (name, expected) => {
    expect(safeSegment(name)).toBe(expected);
  });

  it('never lets two names that differ only by invisible characters collide into one entry', () => {
    const entries = packageEntries([evidence('a', 'invoice.pdf', [['soc2', 'CC6.1']]), evidence('b', 'in\u202evoice.pdf', [['soc2', 'CC6.1']])]);
    expect(entries.map((e) => e.path)).toEqual(['soc2/CC6.1/invoice.pdf', 'soc2/CC6.1/invoice (2).pdf']);
  });

  it('puts a file under every control it is linked to and numbers different files of the same name', () => {
    const entries = packageEntries([
      evidence('a', 'review.txt', [
        ['hipaa', '164.308(a)(1)(ii)(A)'],
        ['soc2', 'CC6.1'],
      ]),
      evidence('b', 'review.txt', [['soc2', 'CC6.1']]),
      evidence('c', 'REVIEW.txt', [['soc2', 'CC6.1']]),
      evidence('d', 'manifest.json', [['soc2', 'CC6.1']]),
      evidence('e', 'noext', [['soc2', 'CC6.1']]),
      evidence('f', 'noext', [['soc2', 'CC6.1']]),
    ]);
    expect(entries.map((e) => [e.evidence.id, e.path])).toEqual([
      ['a', 'hipaa/164.308(a)(1)(ii)(A)/review.txt'],
      ['a', 'soc2/CC6.1/review.txt'],
      ['b', 'soc2/CC6.1/review (2).txt'],
      ['c', 'soc2/CC6.1/REVIEW (3).txt'],
      ['d', 'soc2/CC6.1/manifest.json'],
      ['e', 'soc2/CC6.1/noext'],
      ['f', 'soc2/CC6.1/noext (2)'],
    ]);
  });
});
