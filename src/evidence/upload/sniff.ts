import { fileTypeFromBuffer } from 'file-type';

/**
 * The media type of a file from its first bytes, never from what the client claims. Binary formats are
 * recognised by their signatures; valid UTF-8 without NUL bytes is text; anything else is opaque bytes.
 */
export async function sniffMediaType(head: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  if (head.includes(0)) return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'text/plain';
  } catch {
    return 'application/octet-stream';
  }
}

/**
 * Characters a display name never keeps: controls (C0, DEL, C1), format characters (the bidi embeddings, overrides
 * and isolates U+202A-U+202E and U+2066-U+2069, the marks U+200E/U+200F and U+061C, zero-width characters, the byte
 * order mark, soft hyphen), line and paragraph separators, lone surrogates, and the noncharacters U+FFFE/U+FFFF.
 * A name like `invoice\u202egpj.exe` would otherwise display as "invoiceexe.jpg".
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\uFFFE\uFFFF]/gu;

/** Longest display name kept, in characters (code points, so a pair is never split into a lone surrogate). */
const MAX_NAME_CHARS = 255;

/**
 * A display name from an uploaded filename: no directories, no invisible or control characters (INVISIBLE), no
 * leading dots, NFC-normalised, at most 255 characters. It is only ever shown, sent back in Content-Disposition and
 * used (further restricted) as a name inside evidence packages; storage is addressed by hash.
 */
export function sanitizeFilename(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(INVISIBLE, '').replace(/^[.\s]+/, '').trim();
  return Array.from(clean || 'file')
    .slice(0, MAX_NAME_CHARS)
    .join('')
    .trim();
}
