/**
 * The benchmark's upload client, run as a child process: node upload-client.js <url> <token> <file>
 * It streams one multipart/form-data upload (a title field, then the file) with node:http, which honours
 * backpressure, and prints {status, seconds, body} as JSON. It runs apart from the app so that the RSS sampled in the
 * app's process is the server's alone; Node 20's fetch would also not do here, as it keeps a streamed request body
 * in memory until sent (1 GiB of ArrayBuffers for a 1 GiB file, measured).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

async function main(): Promise<void> {
  const [url, token, file] = process.argv.slice(2);
  const size = statSync(file).size;
  const boundary = `----crt-bench-${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBenchmark upload\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-upload.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield head;
    yield* createReadStream(file, { highWaterMark: 256 * 1024 });
    yield tail;
  }
  const start = performance.now();
  const req = request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + size + tail.length) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  await pipeline(Readable.from(body()), req);
  const { status, body: text } = await response;
  process.stdout.write(JSON.stringify({ status, seconds: (performance.now() - start) / 1000, body: text.slice(0, 4000) }));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
