import { sanitizeFilename, sniffMediaType } from 'src/evidence/upload/sniff';

describe('sniffMediaType', () => {
  it.each([
    ['PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'application/pdf'],
    ['PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'image/png'],
    ['zip', Buffer.from('504b0304140000000800', 'hex'), 'application/zip'],
    ['UTF-8 text', Buffer.from('Access review — Zürich, 2026'), 'text/plain'],
    ['binary with NUL', Buffer.from([0x01, 0x00, 0x02, 0xff]), 'application/octet-stream'],
    ['invalid UTF-8', Buffer.from([0xc3, 0x28, 0x41]), 'application/octet-stream'],
  ])('recognises %s from its bytes', async (_label, bytes, type) => {
    await expect(sniffMediaType(bytes)).resolves.toBe(type);
  });
});

describe('sanitizeFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['line\nbreak\r.txt', 'linebreak.txt'],
    ['...hidden', 'hidden'],
    ['', 'file'],
    ['/', 'file'],
    ['Zürich Café.pdf', 'Zürich Café.pdf'],
    // Bidi controls: an override makes "invoice\u202egpj.exe" display as "invoiceexe.jpg".
    ['invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['a\u202ab\u202bc\u202cd\u202de\u202ef.pdf', 'abcdef.pdf'],
    ['a\u2066b\u2067c\u2068d\u2069e.pdf', 'abcde.pdf'],
    ['\u200ertl\u200f\u061c.txt', 'rtl.txt'],
    // Other format and control characters: zero-width, BOM, soft hyphen, C1, DEL, separators, tags.
    ['zero\u200bwidth\u200c\u200d\u2060.txt', 'zerowidth.txt'],
    ['\ufeffbom\u00ad.txt', 'bom.txt'],
    ['c1\u0085\u009b\u007f.txt', 'c1.txt'],
    ['line\u2028para\u2029.txt', 'linepara.txt'],
    ['tag\u{e0041}\u{e007f}.txt', 'tag.txt'],
    ['nul\u0000.pdf', 'nul.pdf'],
    // Hidden leading dots stay hidden behind an invisible character no more.
    ['.\u200b.\u202e.env', 'env'],
    ['\u202e', 'file'],
    ['  \u00a0report.pdf  ', 'report.pdf'],
    // Lone surrogates go; pairs and combining marks stay; NFC joins what NFD split.
    ['lone\ud800.txt', 'lone.txt'],
    ['emoji 📄.pdf', 'emoji 📄.pdf'],
    ['Cafe\u0301.pdf', 'Café.pdf'],
    ['עברית.pdf', 'עברית.pdf'],
    ['\u202e/\u202e../x\u202e.pdf', 'x.pdf'],
  ])('%j -> %j', (input, output) => {
    expect(sanitizeFilename(input)).toBe(output);
  });

  it('keeps at most 255 characters, never splitting a surrogate pair', () => {
    expect(sanitizeFilename('a'.repeat(1000))).toHaveLength(255);
    const emoji = sanitizeFilename('😀'.repeat(300));
    expect(Array.from(emoji)).toHaveLength(255);
    expect(emoji).not.toMatch(/\p{Cs}/u);
    expect(sanitizeFilename(`a${'😀'.repeat(300)}`).endsWith('😀')).toBe(true);
  });
});
