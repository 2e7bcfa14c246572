import { createDocument, setFont } from 'src/reports/pdf/document';
import { resolveWidths, splitText } from 'src/reports/pdf/table';
import { SIZE } from 'src/reports/pdf/theme';

describe('table layout', () => {
  it.each([
    [[{ width: 100 }, {}, {}], 300, [], [100, 100, 100]],
    [[{ width: 100 }, { weight: 3 }, { weight: 1 }], 500, [], [100, 300, 100]],
    // The light column would get 40 but needs 60: it keeps 60 and the other shares what is left.
    [[{ weight: 4 }, { weight: 1 }], 200, [0, 60], [140, 60]],
    // A fixed width below the column's minimum grows to it.
    [[{ width: 30 }, {}], 200, [45, 0], [45, 155]],
  ])('resolves widths %j over %d (minimums %j)', (columns, total, mins, expected) => {
    expect(resolveWidths(columns, total, mins)).toEqual(expected);
  });

  describe('splitText', () => {
    const doc = createDocument({ title: 't', author: 'a', subject: 's', keywords: 'k', createdAt: new Date() });
    setFont(doc, 'regular', SIZE.table);
    const line = doc.currentLineHeight(true) + 0.5;
    const width = 120;

    it('keeps text that fits whole', () => {
      expect(splitText(doc, 'short text', width, line * 2, 'regular', SIZE.table)).toEqual(['short text', '']);
    });

    it('splits between words, losing none, with a head that fits', () => {
      const text = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
      const [head, rest] = splitText(doc, text, width, line * 3, 'regular', SIZE.table);
      expect(`${head} ${rest}`).toBe(text);
      expect(rest).not.toBe('');
      setFont(doc, 'regular', SIZE.table);
      expect(doc.heightOfString(head, { width: width - 6, lineGap: 0.5 })).toBeLessThanOrEqual(line * 3);
    });

    it('splits inside a word wider than the cell', () => {
      const text = 'x'.repeat(500);
      const [head, rest] = splitText(doc, text, width, line * 2, 'regular', SIZE.table);
      expect(head + rest).toBe(text);
      expect(head.length).toBeGreaterThan(10);
      expect(rest.length).toBeGreaterThan(0);
    });
  });
});
