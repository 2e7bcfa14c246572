import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';

/**
 * An in-memory multipart/form-data request, so that the demo adds its evidence through EvidenceService.upload, the
 * same path as an HTTP upload (streamed, hashed, type sniffed, stored by hash, audited). It carries only what an
 * upload reads from a request: the headers, the body stream and `complete` once the body has been read.
 */
export function multipartRequest(fields: Record<string, string | string[]>, file: { filename: string; contentType: string; bytes: Buffer }): Request {
  const boundary = `----demo-${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
    }
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const body = Buffer.concat(parts);
  const stream = new PassThrough() as PassThrough & { headers: Record<string, string>; complete: boolean };
  stream.headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) };
  stream.complete = false;
  stream.on('end', () => {
    stream.complete = true;
  });
  stream.end(body);
  return stream as unknown as Request;
}
