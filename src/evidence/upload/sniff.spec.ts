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
  ])('%j -> %j', (input, output) => {
    expect(sanitizeFilename(input)).toBe(output);
  });

  it('keeps at most 255 characters', () => {
    expect(sanitizeFilename('a'.repeat(1000))).toHaveLength(255);
  });
});
