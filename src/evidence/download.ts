import { create as contentDisposition } from 'content-disposition';
import { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { EvidenceRow } from 'src/evidence/evidence.repository';
import { sanitizeFilename } from 'src/evidence/upload/sniff';

/**
 * Sends stored evidence bytes: the sniffed media type, an attachment disposition with the sanitized original name
 * (RFC 5987 for non-ASCII), the SHA-256 as a strong ETag, conditional GET and single byte ranges.
 */
export async function sendEvidence(
  req: Request,
  res: Response,
  row: EvidenceRow,
  open: (range?: { start: number; end: number }) => Promise<Readable>,
): Promise<void> {
  const etag = `"${row.sha256}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Accept-Ranges', 'bytes');
  // Sanitized again on the way out: names stored before the rules tightened may still hold bidi controls.
  res.setHeader('Content-Disposition', contentDisposition(sanitizeFilename(row.originalFilename), { type: 'attachment' }));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', row.mediaType);

  const ifRange = req.headers['if-range'];
  const ranges = req.headers.range && (!ifRange || ifRange === etag) ? req.range(row.size) : undefined;
  if (ranges === -1) {
    res.setHeader('Content-Range', `bytes */${row.size}`);
    res.status(416).json({ statusCode: 416, error: 'Range Not Satisfiable', message: 'The requested range is outside the file' });
    return;
  }
  let range: { start: number; end: number } | undefined;
  if (Array.isArray(ranges) && ranges.length === 1 && ranges.type === 'bytes') {
    range = { start: ranges[0].start, end: ranges[0].end };
    res.status(206);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${row.size}`);
    res.setHeader('Content-Length', String(range.end - range.start + 1));
  } else {
    res.status(200);
    res.setHeader('Content-Length', String(row.size));
  }
  const stream = await open(range);
  await pipeline(stream, res).catch(() => res.destroy());
}
