import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import busboy from 'busboy';
import { Request } from 'express';
import { createHash } from 'node:crypto';
import { createWriteStream, WriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { newUploadTempPath } from 'src/evidence/upload/temp-files';

/** Bytes kept from the start of the file for content sniffing. */
const HEAD_BYTES = 4100;

export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  size: number;
  filename: string;
  claimedType: string;
  head: Buffer;
}

export interface ReceivedUpload {
  fields: Record<string, string | string[]>;
  file: ReceivedFile;
}

/** Hashes, counts and keeps the first bytes of what flows through, without holding the rest. */
class Inspect extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private readonly headParts: Buffer[] = [];
  private headSize = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.headSize < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headSize);
      this.headParts.push(Buffer.from(part));
      this.headSize += part.length;
    }
    done(null, chunk);
  }

  get head(): Buffer {
    return Buffer.concat(this.headParts);
  }
}

/** Browsers and form-data encode `"`, CR and LF in multipart filenames as %22, %0D and %0A (HTML spec); only those. */
const decodeFilename = (name: string) => name.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');

/** What one upload request may carry. Past any of them the request is refused with a 413 naming it, never truncated. */
export const MULTIPART_LIMITS = {
  /** text fields (title, description, dates, one per control id) */
  fields: 50,
  /** fields and files together */
  parts: 60,
  files: 1,
  /** bytes of one field's value (a part's headers, the name with them, are bounded by busboy: 16 KiB) */
  fieldSize: 64 * 1024,
} as const;

type LimitName = 'fileSize' | keyof typeof MULTIPART_LIMITS;

const limitError = (limit: LimitName, max: number, message: string) => new PayloadTooLargeException({ message, details: { limit, max } });

const tooLargeError = (max: number) => limitError('fileSize', max, `The file is larger than the limit of ${max} bytes`);

/** A client-sent name, quoted and cut short, for an error message. */
const quoted = (name: string) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);

/**
 * Receives a multipart upload with one `file` part, streaming it to a temporary file while hashing it: memory
 * stays flat whatever the size. Over `maxBytes` is a 413, an empty file a 400; on any failure (including a client
 * that disconnects mid-upload) the temporary file is removed before the error propagates.
 */
export async function receiveUpload(req: Request, opts: { maxBytes: number; tmpDir: string }): Promise<ReceivedUpload> {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw new BadRequestException('Send the evidence as multipart/form-data with a "file" part');
  }
  const declared = Number(req.headers['content-length']);
  // The whole body bounds the file: refuse early rather than read a body that cannot fit.
  if (Number.isFinite(declared) && declared > opts.maxBytes + 1024 * 1024) throw tooLargeError(opts.maxBytes);

  await mkdir(opts.tmpDir, { recursive: true });
  const tempPath = newUploadTempPath(opts.tmpDir);
  const fields: Record<string, string | string[]> = {};
  let file: ReceivedFile | undefined;
  let tooLarge = false;
  let fileWrite: Promise<void> | undefined;

  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { ...MULTIPART_LIMITS, parts: MULTIPART_LIMITS.parts + 1, fileSize: opts.maxBytes } });
  } catch {
    throw new BadRequestException('Malformed multipart request');
  }

  let out: WriteStream | undefined;
  const parsed = new Promise<void>((resolve, reject) => {
    // Busboy drops what is past a limit and carries on; each limit refuses the whole request instead. It signals the
    // parts limit when the count reaches it (not passes it): hence it is given one more than we allow.
    const { fields: maxFields, parts: maxParts, files: maxFiles, fieldSize: maxFieldSize } = MULTIPART_LIMITS;
    bb.on('fieldsLimit', () => reject(limitError('fields', maxFields, `Too many form fields: at most ${maxFields} are accepted`)));
    bb.on('partsLimit', () => reject(limitError('parts', maxParts, `Too many multipart parts: at most ${maxParts} (fields and files together) are accepted`)));
    bb.on('filesLimit', () => reject(limitError('files', maxFiles, `Too many files: an upload carries exactly ${maxFiles} file, in the "file" part`)));
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        reject(limitError('fieldSize', maxFieldSize, `The form field ${quoted(name)} is larger than the limit of ${maxFieldSize} bytes`));
        return;
      }
      const prev = fields[name];
      fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        reject(new BadRequestException(`Unexpected file in the part ${quoted(name)}: send the evidence in the "file" part`));
        return;
      }
      const inspect = new Inspect();
      // Over the limit busboy truncates the stream and ends it: the partial temp file is removed below.
      stream.on('limit', () => {
        tooLarge = true;
      });
      out = createWriteStream(tempPath, { flags: 'wx' });
      fileWrite = pipeline(stream, inspect, out).then(() => {
        file = {
          tempPath,
          sha256: inspect.hash.digest('hex'),
          size: inspect.size,
          filename: decodeFilename(info.filename ?? ''),
          claimedType: info.mimeType,
          head: inspect.head,
        };
      });
      // Observed below; this only keeps an early failure from being reported as unhandled.
      fileWrite.catch(() => undefined);
    });
    bb.on('error', reject);
    bb.on('close', resolve);
    req.on('aborted', () => reject(new BadRequestException('The upload was interrupted')));
    req.on('close', () => {
      if (!req.complete) reject(new BadRequestException('The upload was interrupted'));
    });
    req.on('error', reject);
  });

  req.pipe(bb);
  try {
    await parsed;
    if (fileWrite) await fileWrite;
    if (tooLarge) throw tooLargeError(opts.maxBytes);
    if (!file && fields.file !== undefined) throw new BadRequestException('The "file" part came as a text field: send it as a file (with a filename)');
    if (!file) throw new BadRequestException('The request has no "file" part');
    if (file.size === 0) throw new BadRequestException('The file is empty');
    return { fields, file };
  } catch (e) {
    req.unpipe(bb);
    req.resume();
    if (out && !out.closed) {
      const closed = new Promise<void>((r) => out!.once('close', () => r()));
      out.destroy();
      await closed;
    }
    await unlink(tempPath).catch(() => undefined);
    if (tooLarge) throw tooLargeError(opts.maxBytes);
    if (e instanceof HttpException) throw e;
    throw new BadRequestException('Malformed multipart request');
  }
}
