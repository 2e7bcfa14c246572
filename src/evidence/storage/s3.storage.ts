import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';

import type { AppConfig } from 'src/config/app-config';
import { EvidenceStorage, StorageMissingError } from 'src/evidence/storage/evidence-storage';

const PREFIX = 'evidence/';
const SHA256 = /^[0-9a-f]{64}$/;

/** Objects in an S3-compatible bucket under `evidence/<sha256>`, uploaded in streamed multipart parts. */
export class S3Storage implements EvidenceStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(s3: NonNullable<AppConfig['s3']>) {
    this.bucket = s3.bucket;
    this.client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: Boolean(s3.endpoint),
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
    });
  }

  private key(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
    return PREFIX + sha256;
  }

  async put(sha256: string, tempFile: string, size: number): Promise<void> {
    try {
      if (!(await this.exists(sha256))) {
        const upload = new Upload({
          client: this.client,
          params: { Bucket: this.bucket, Key: this.key(sha256), Body: createReadStream(tempFile), ContentLength: size },
          queueSize: 2,
          partSize: 8 * 1024 * 1024,
        });
        await upload.done();
      }
    } finally {
      await unlink(tempFile).catch(() => undefined);
    }
  }

  async read(sha256: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(sha256), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      return res.Body as Readable;
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') throw new StorageMissingError(sha256);
      throw e;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return true;
    } catch (e) {
      if (e instanceof NotFound || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw e;
    }
  }

  async *list(): AsyncIterable<{ sha256: string; modifiedAt: Date }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const sha256 = (o.Key ?? '').slice(PREFIX.length);
        if (SHA256.test(sha256)) yield { sha256, modifiedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
  }
}
