import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

import { COLOR, FONTS, PAGE, SIZE } from 'src/reports/pdf/theme';

export type Doc = PDFKit.PDFDocument;
export type FontKey = keyof typeof FONTS;

let fontData: Record<FontKey, Buffer> | undefined;

/** The TTF files, read once per process (pdfkit parses and subsets them per document). */
const fonts = () =>
  (fontData ??= {
    regular: readFileSync(FONTS.regular.file),
    bold: readFileSync(FONTS.bold.file),
    mono: readFileSync(FONTS.mono.file),
  });

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  createdAt: Date;
}

/**
 * A4 document with the embedded fonts registered. Pages are buffered so that "Page X of Y" can be written once the
 * page count is known (`decoratePages`); pdfkit writes everything out on `end()`.
 */
export function createDocument(info: DocumentInfo): Doc {
  const doc = new PDFDocument({
    size: PAGE.size,
    bufferPages: true,
    autoFirstPage: true,
    margins: { top: PAGE.margin, left: PAGE.margin, right: PAGE.margin, bottom: PAGE.marginBottom },
    info: {
      Title: info.title,
      Author: info.author,
      Subject: info.subject,
      Keywords: info.keywords,
      Creator: 'Compliance readiness tracker',
      CreationDate: info.createdAt,
    },
    lang: 'en',
    displayTitle: true,
  });
  for (const key of Object.keys(FONTS) as FontKey[]) doc.registerFont(FONTS[key].name, fonts()[key]);
  return setFont(doc, 'regular', SIZE.body).fillColor(COLOR.text);
}

export const setFont = (doc: Doc, font: FontKey, size: number) => doc.font(FONTS[font].name).fontSize(size);

export const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
export const left = (doc: Doc) => doc.page.margins.left;
export const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` points still fit below the cursor. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

/** A heading kept together with at least `keepWith` points of what follows it. */
export function heading(doc: Doc, text: string, level: 1 | 2 | 3, keepWith = 60): void {
  const size = level === 1 ? SIZE.h1 : level === 2 ? SIZE.h2 : SIZE.h3;
  setFont(doc, 'bold', size);
  const height = doc.heightOfString(text, { width: contentWidth(doc) });
  ensureSpace(doc, height + keepWith);
  if (level < 3 && doc.y > doc.page.margins.top) doc.moveDown(0.4);
  doc.fillColor(level === 3 ? COLOR.text : COLOR.primary).text(text, left(doc), doc.y, { width: contentWidth(doc) });
  if (level === 1) {
    const y = doc.y + 2;
    doc.moveTo(left(doc), y).lineTo(left(doc) + contentWidth(doc), y).lineWidth(0.8).strokeColor(COLOR.primary).stroke();
    doc.y = y + 6;
  } else {
    doc.moveDown(0.25);
  }
  setFont(doc, 'regular', SIZE.body).fillColor(COLOR.text);
}

/** Flowing text over the full width; pdfkit continues it on the next page when needed. */
export function paragraph(doc: Doc, text: string, opts: { size?: number; color?: string; font?: FontKey; gap?: number } = {}): void {
  setFont(doc, opts.font ?? 'regular', opts.size ?? SIZE.body);
  doc.fillColor(opts.color ?? COLOR.text).text(text, left(doc), doc.y, { width: contentWidth(doc), lineGap: 1.5 });
  doc.moveDown(opts.gap ?? 0.5);
  setFont(doc, 'regular', SIZE.body).fillColor(COLOR.text);
}

/** Bulleted list: each item wraps under its own text, not under the bullet. */
export function bullets(doc: Doc, items: string[], opts: { size?: number } = {}): void {
  const size = opts.size ?? SIZE.body;
  const indent = 12;
  setFont(doc, 'regular', size);
  for (const item of items) {
    const width = contentWidth(doc) - indent;
    ensureSpace(doc, doc.heightOfString(item, { width, lineGap: 1.5 }));
    const y = doc.y;
    doc.fillColor(COLOR.primary).text('•', left(doc), y, { width: indent, lineBreak: false });
    doc.fillColor(COLOR.text).text(item, left(doc) + indent, y, { width, lineGap: 1.5 });
    doc.moveDown(0.2);
  }
  doc.x = left(doc);
  doc.moveDown(0.3);
}

/** `text` shortened with an ellipsis to one line of `width` (only for running headers; content is never cut). */
export function fitLine(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let [lo, hi] = [0, text.length];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

/**
 * Running header (not on the cover) and "Page X of Y" footer on every page, written after the content when the page
 * count is known. The bottom margin is lifted while writing the footer: text below it would make pdfkit add a page.
 */
export function decoratePages(doc: Doc, header: string, footer: string): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = contentWidth(doc);
    const x = left(doc);
    setFont(doc, 'regular', SIZE.small).fillColor(COLOR.muted);
    if (i > range.start) {
      doc.text(fitLine(doc, header, width), x, PAGE.margin - 22, { lineBreak: false });
      doc.moveTo(x, PAGE.margin - 10).lineTo(x + width, PAGE.margin - 10).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
    }
    const y = doc.page.height - PAGE.footerOffset;
    doc.moveTo(x, y - 6).lineTo(x + width, y - 6).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
    const pageLabel = `Page ${i - range.start + 1} of ${total}`;
    const labelWidth = doc.widthOfString(pageLabel);
    doc.text(fitLine(doc, footer, width - labelWidth - 12), x, y, { lineBreak: false });
    doc.text(pageLabel, x + width - labelWidth, y, { lineBreak: false });
    doc.page.margins.bottom = saved;
  }
  doc.fillColor(COLOR.text);
}
