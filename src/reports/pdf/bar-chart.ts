import { ReadinessState } from 'src/controls/controls.dto';
import { bottom, contentWidth, Doc, ensureSpace, left, setFont } from 'src/reports/pdf/document';
import { COLOR, formatScore, SIZE, STATE_LABEL } from 'src/reports/pdf/theme';

export interface Bar {
  label: string;
  /** 0-100, or null when nothing applies. */
  score: number | null;
  met: number;
  partial: number;
  gap: number;
}

const BAR_HEIGHT = 9;
const STRIP_HEIGHT = 3;
const ROW_GAP = 5;
const VALUE_WIDTH = 42;
const TICKS = [0, 25, 50, 75, 100];

/**
 * Horizontal bar chart of readiness scores on a 0-100 axis. Under each score bar a thin strip shows the applicable
 * controls split into met, partial and gap. Labels wrap in their column; a row that does not fit goes to the next
 * page, which repeats the axis.
 */
export function drawBarChart(doc: Doc, bars: Bar[], opts: { labelWidth: number }): void {
  const x0 = left(doc);
  const labelWidth = opts.labelWidth;
  const trackX = x0 + labelWidth + 8;
  const trackWidth = contentWidth(doc) - labelWidth - 8 - VALUE_WIDTH;
  let y = doc.y;

  const drawAxis = () => {
    setFont(doc, 'regular', SIZE.small);
    doc.fillColor(COLOR.muted);
    for (const t of TICKS) {
      const label = `${t}%`;
      const w = doc.widthOfString(label);
      doc.text(label, trackX + (trackWidth * t) / 100 - w / 2, y, { lineBreak: false });
    }
    y += doc.currentLineHeight(true) + 3;
  };
  const rowHeight = (label: string) => {
    setFont(doc, 'regular', SIZE.table);
    return Math.max(doc.heightOfString(label, { width: labelWidth }), BAR_HEIGHT + STRIP_HEIGHT + 1) + ROW_GAP;
  };

  const axisHeight = 12;
  if (y + axisHeight + rowHeight(bars[0]?.label ?? '') > bottom(doc)) {
    doc.addPage();
    y = doc.y;
  }
  drawAxis();
  const drawGrid = (from: number, to: number) => {
    for (const t of TICKS) {
      const x = trackX + (trackWidth * t) / 100;
      doc.moveTo(x, from).lineTo(x, to).lineWidth(0.3).strokeColor(COLOR.rule).stroke();
    }
  };

  for (const bar of bars) {
    const h = rowHeight(bar.label);
    if (y + h > bottom(doc)) {
      doc.addPage();
      y = doc.y;
      drawAxis();
    }
    setFont(doc, 'regular', SIZE.table);
    doc.fillColor(COLOR.text).text(bar.label, x0, y, { width: labelWidth });
    doc.rect(trackX, y, trackWidth, BAR_HEIGHT).fill(COLOR.track);
    drawGrid(y - 3, y + h - 2);
    if (bar.score !== null && bar.score > 0) doc.rect(trackX, y, (trackWidth * bar.score) / 100, BAR_HEIGHT).fill(COLOR.primary);
    const applicable = bar.met + bar.partial + bar.gap;
    let x = trackX;
    for (const state of [ReadinessState.Met, ReadinessState.Partial, ReadinessState.Gap] as const) {
      if (applicable === 0 || bar[state] === 0) continue;
      const w = (trackWidth * bar[state]) / applicable;
      doc.rect(x, y + BAR_HEIGHT + 1, w, STRIP_HEIGHT).fill(COLOR[state]);
      x += w;
    }
    setFont(doc, 'bold', SIZE.table);
    doc.fillColor(COLOR.text).text(formatScore(bar.score), trackX + trackWidth + 6, y + 0.5, { lineBreak: false });
    y += h;
  }
  doc.y = y;
  drawLegend(doc);
}

/** What the colours mean, on one line under a chart. */
function drawLegend(doc: Doc): void {
  ensureSpace(doc, 16);
  const x0 = left(doc);
  let x = x0;
  const y = doc.y + 2;
  setFont(doc, 'regular', SIZE.small);
  const items: [string, string][] = [
    [COLOR.primary, 'Score'],
    ...([ReadinessState.Met, ReadinessState.Partial, ReadinessState.Gap] as const).map((s): [string, string] => [COLOR[s], STATE_LABEL[s]]),
  ];
  for (const [color, label] of items) {
    doc.rect(x, y + 1.5, 8, 6).fill(color);
    doc.fillColor(COLOR.muted).text(label, x + 11, y, { lineBreak: false });
    x += 11 + doc.widthOfString(label) + 14;
  }
  doc.x = x0;
  doc.y = y + doc.currentLineHeight(true) + 8;
  setFont(doc, 'regular', SIZE.body).fillColor(COLOR.text);
}
