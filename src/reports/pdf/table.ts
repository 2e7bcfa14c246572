import { bottom, contentWidth, Doc, FontKey, left, paragraph, setFont } from 'src/reports/pdf/document';
import { COLOR, SIZE } from 'src/reports/pdf/theme';

export interface Column<T> {
  header: string;
  /** Points. Columns without a width share what is left in proportion to `weight` (default 1). */
  width?: number;
  weight?: number;
  align?: 'left' | 'right' | 'center';
  font?: FontKey;
  value: (row: T) => string;
  color?: (row: T) => string;
}

export interface TableSpec<T> {
  columns: Column<T>[];
  rows: readonly T[];
  /** A full-width line under the row's cells, in the mono font (e.g. a SHA-256 that must stay on one line). */
  detail?: (row: T) => string | null;
  /** Printed instead of a table without rows. */
  empty: string;
  /** Printed above the repeated header on the following pages. */
  caption: string;
}

const PAD_X = 3;
const PAD_Y = 2.5;
const LINE_GAP = 0.5;
/** A row taller than this much free space is split rather than moved whole to the next page. */
const MIN_SPLIT_LINES = 3;
/** Under the first cell of a row carried over to the next page. */
const CONTINUED = '(cont.)';

/**
 * Column widths in points: fixed ones as given; the others share the remaining width by weight, but none gets less
 * than its minimum (a column squeezed below it is fixed at the minimum and the rest re-shared).
 */
export function resolveWidths(columns: { width?: number; weight?: number }[], total: number, mins: number[] = []): number[] {
  const widths = columns.map((c, i) => (c.width === undefined ? undefined : Math.max(c.width, mins[i] ?? 0)));
  for (;;) {
    const free = columns.map((_, i) => i).filter((i) => widths[i] === undefined);
    const rest = total - widths.reduce<number>((n, w) => n + (w ?? 0), 0);
    const weights = free.reduce((n, i) => n + (columns[i].weight ?? 1), 0);
    const squeezed = free.filter((i) => (rest * (columns[i].weight ?? 1)) / weights < (mins[i] ?? 0));
    if (squeezed.length === 0) return widths.map((w, i) => w ?? (rest * (columns[i].weight ?? 1)) / weights);
    for (const i of squeezed) widths[i] = mins[i];
  }
}

/** Width a column needs to show every value on one line (its header may wrap), capped at `max`. */
export function widthToFit(doc: Doc, values: string[], max: number, font: FontKey = 'regular'): number {
  setFont(doc, font, SIZE.table);
  const widest = values.reduce((w, v) => Math.max(w, doc.widthOfString(v)), 0);
  return Math.min(max, Math.ceil(widest) + 2 * PAD_X + 1);
}

const textOptions = (width: number, align: Column<unknown>['align'] = 'left') => ({ width: width - 2 * PAD_X, align, lineGap: LINE_GAP });

function cellHeight(doc: Doc, text: string, width: number, font: FontKey, size: number): number {
  if (text === '') return 0;
  setFont(doc, font, size);
  return doc.heightOfString(text, textOptions(width));
}

/**
 * Splits `text` into the longest head that fits `maxHeight` at `width` and the rest: at whitespace when possible,
 * else inside the first word (a word wider than the cell is wrapped by character, as pdfkit draws it).
 */
export function splitText(doc: Doc, text: string, width: number, maxHeight: number, font: FontKey, size: number): [string, string] {
  const fits = (s: string) => cellHeight(doc, s, width, font, size) <= maxHeight;
  if (fits(text)) return [text, ''];
  const tokens = text.split(/(\s+)/);
  const largest = (n: number, prefix: (k: number) => string) => {
    let [lo, hi] = [0, n];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(prefix(mid))) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const k = largest(tokens.length, (m) => tokens.slice(0, m).join(''));
  const head = tokens.slice(0, k).join('').trimEnd();
  if (head !== '') return [head, tokens.slice(k).join('').trimStart()];
  const chars = largest(text.length, (m) => text.slice(0, m));
  return [text.slice(0, chars), text.slice(chars)];
}

/**
 * Draws a table that wraps every cell (nothing is cut or overflows), repeats its header on every page it spans,
 * moves a row that does not fit to the next page and, only when a single row is taller than a whole page, splits it
 * across pages. Leaves the cursor under the table.
 */
export function drawTable<T>(doc: Doc, spec: TableSpec<T>): void {
  if (spec.rows.length === 0) {
    paragraph(doc, spec.empty, { color: COLOR.muted });
    return;
  }
  const x0 = left(doc);
  const total = contentWidth(doc);
  const fonts = spec.columns.map((c) => c.font ?? 'regular');
  // A header wraps between words, never inside one; nor does the first column's continuation mark.
  setFont(doc, 'bold', SIZE.table);
  const mins = spec.columns.map((c) => Math.max(...c.header.split(/\s+/).map((w) => doc.widthOfString(w))) + 2 * PAD_X + 0.5);
  setFont(doc, fonts[0], SIZE.table);
  mins[0] = Math.max(mins[0], doc.widthOfString(CONTINUED) + 2 * PAD_X + 0.5);
  const widths = resolveWidths(spec.columns, total, mins);
  const lineHeight = (() => {
    setFont(doc, 'regular', SIZE.table);
    return doc.currentLineHeight(true) + LINE_GAP;
  })();

  const cellsHeight = (cells: string[], font?: FontKey) =>
    Math.max(lineHeight, ...cells.map((t, i) => cellHeight(doc, t, widths[i], font ?? fonts[i], SIZE.table))) + 2 * PAD_Y;
  const detailHeight = (detail: string) => cellHeight(doc, detail, total, 'mono', SIZE.small) + PAD_Y;
  const headers = spec.columns.map((c) => c.header);
  const headerHeight = cellsHeight(headers, 'bold');
  let y = doc.y;

  const drawCells = (cells: string[], font: (i: number) => FontKey, color: (i: number) => string) => {
    let x = x0;
    cells.forEach((text, i) => {
      if (text !== '') {
        setFont(doc, font(i), SIZE.table);
        doc.fillColor(color(i)).text(text, x + PAD_X, y + PAD_Y, textOptions(widths[i], spec.columns[i].align));
      }
      x += widths[i];
    });
  };
  const drawHeader = () => {
    doc.rect(x0, y, total, headerHeight).fill(COLOR.headerFill);
    drawCells(headers, () => 'bold', () => COLOR.primary);
    y += headerHeight;
    doc.moveTo(x0, y).lineTo(x0 + total, y).lineWidth(0.6).strokeColor(COLOR.primary).stroke();
  };
  const newPage = () => {
    doc.addPage();
    y = doc.y;
    setFont(doc, 'regular', SIZE.small);
    doc.fillColor(COLOR.muted).text(spec.caption, x0, y, { width: total });
    y = doc.y + 2;
    drawHeader();
  };
  /** `h`: the cells' height as measured by the caller (measuring costs as much as drawing). */
  const drawRow = (row: T, cells: string[], h: number, detail: { text: string; height: number } | null, stripe: boolean) => {
    const height = h + (detail?.height ?? 0);
    if (stripe) doc.rect(x0, y, total, height).fill(COLOR.stripe);
    drawCells(cells, (i) => fonts[i], (i) => spec.columns[i].color?.(row) ?? COLOR.text);
    if (detail) {
      setFont(doc, 'mono', SIZE.small);
      doc.fillColor(COLOR.muted).text(detail.text, x0 + PAD_X, y + h - PAD_Y, textOptions(total));
    }
    y += height;
    doc.moveTo(x0, y).lineTo(x0 + total, y).lineWidth(0.3).strokeColor(COLOR.rule).stroke();
  };

  // The header never stands alone at the bottom of a page.
  if (y + headerHeight + lineHeight * 2 + 2 * PAD_Y > bottom(doc)) {
    doc.addPage();
    y = doc.y;
  }
  drawHeader();

  spec.rows.forEach((row, index) => {
    let cells = spec.columns.map((c) => c.value(row));
    const detailText = spec.detail?.(row) ?? null;
    const detail = detailText ? { text: detailText, height: detailHeight(detailText) } : null;
    const stripe = index % 2 === 1;
    for (;;) {
      const h = cellsHeight(cells);
      const height = h + (detail?.height ?? 0);
      const freshPage = bottom(doc) - doc.page.margins.top - headerHeight - lineHeight * 2;
      if (y + height > bottom(doc) && (height <= freshPage || bottom(doc) - y < lineHeight * MIN_SPLIT_LINES + 2 * PAD_Y)) newPage();
      if (y + height <= bottom(doc)) {
        drawRow(row, cells, h, detail, stripe);
        return;
      }
      // Taller than a page: fill this page with the head of every cell and carry the rest (and the detail) over.
      const room = bottom(doc) - y - 2 * PAD_Y;
      const parts = cells.map((t, i) => splitText(doc, t, widths[i], room, fonts[i], SIZE.table));
      const heads = parts.map(([head]) => head);
      drawRow(row, heads, cellsHeight(heads), null, stripe);
      cells = parts.map(([, rest]) => rest);
      if (cells[0] === '') cells[0] = `${spec.columns[0].value(row)}\n${CONTINUED}`;
      newPage();
    }
  });
  doc.x = x0;
  doc.y = y + 8;
  setFont(doc, 'regular', SIZE.body).fillColor(COLOR.text);
}
