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
 * A display name from an uploaded filename: no directories, no control characters, at most 255 characters.
 * It is only ever shown and sent back in Content-Disposition; storage is addressed by hash.
 */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim();
  return (clean || 'file').slice(0, 255);
}
