import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { ReadinessState } from 'src/controls/controls.dto';

/**
 * Fonts, sizes and colours of the gap-analysis PDF, in one place. DejaVu is embedded (subset) so that any client or
 * person name renders and stays extractable; the 14 standard PDF fonts only cover Latin-1.
 */
const fontDir = join(dirname(createRequire(join(process.cwd(), 'package.json')).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONTS = {
  regular: { name: 'DejaVuSans', file: join(fontDir, 'DejaVuSans.ttf') },
  bold: { name: 'DejaVuSans-Bold', file: join(fontDir, 'DejaVuSans-Bold.ttf') },
  mono: { name: 'DejaVuSansMono', file: join(fontDir, 'DejaVuSansMono.ttf') },
} as const;

export const PAGE = {
  size: 'A4',
  margin: 50,
  /** Room below the content for the footer line. */
  marginBottom: 60,
  footerOffset: 35,
} as const;

export const SIZE = {
  title: 26,
  h1: 18,
  h2: 13,
  h3: 10.5,
  body: 9.5,
  table: 8,
  small: 7.5,
} as const;

export const COLOR = {
  text: '#1f2328',
  muted: '#59636e',
  primary: '#1f3a5f',
  rule: '#c9d1d9',
  headerFill: '#e6ebf1',
  stripe: '#f6f8fa',
  track: '#eef1f4',
  [ReadinessState.Met]: '#2e7d32',
  [ReadinessState.Partial]: '#c77700',
  [ReadinessState.Gap]: '#c62828',
  [ReadinessState.NotApplicable]: '#8c959f',
} as const;

export const STATE_LABEL: Record<ReadinessState, string> = {
  [ReadinessState.Met]: 'Met',
  [ReadinessState.Partial]: 'Partial',
  [ReadinessState.Gap]: 'Gap',
  [ReadinessState.NotApplicable]: 'Not applicable',
};

/** Score with one decimal, as SPEC 3 defines it; a framework with nothing applicable has none. */
export const formatScore = (score: number | null) => (score === null ? 'n/a' : `${score.toFixed(1)}%`);

/** Short framework names for narrow table columns; the full name and version head each framework's chapter. */
const SHORT_NAMES: Record<string, string> = { soc2: 'SOC 2', hipaa: 'HIPAA', 'pci-dss': 'PCI DSS' };
export const shortName = (framework: string) => SHORT_NAMES[framework] ?? framework;

/** "HIPAA 164.308(a)(1), PCI DSS 8.3.4": each framework-and-ref pair held together by no-break spaces, so a line breaks only between pairs. */
export const controlRefs = (refs: { framework: string; ref: string }[]) => refs.map((r) => `${shortName(r.framework)} ${r.ref}`.replace(/ /g, '\u00a0')).join(', ');
