import { performance } from 'node:perf_hooks';

export interface LatencyStats {
  requests: number;
  concurrency: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  throughputPerS: number;
  /** CPU time of this process (app and load generator) per recorded request. */
  nodeCpuMsPerRequest: number;
}

/** Nearest-rank percentile of an ascending array. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Runs `total` calls of `fn` with at most `concurrency` in flight (a fixed pool of workers pulling from one counter),
 * after `warmup` unrecorded calls at the same concurrency. A call that throws counts as an error.
 */
export async function runLoad(fn: (i: number) => Promise<void>, opts: { total: number; concurrency: number; warmup: number }): Promise<LatencyStats> {
  const pool = async (count: number, record: (ms: number, ok: boolean) => void) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const start = performance.now();
        let ok = true;
        try {
          await fn(i);
        } catch {
          ok = false;
        }
        record(performance.now() - start, ok);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, count) }, worker));
  };
  await pool(opts.warmup, () => undefined);
  const latencies: number[] = [];
  let errors = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await pool(opts.total, (ms, ok) => {
    if (ok) latencies.push(ms);
    else errors++;
  });
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    requests: opts.total,
    concurrency: opts.concurrency,
    errors,
    p50Ms: round1(percentile(latencies, 50)),
    p95Ms: round1(percentile(latencies, 95)),
    p99Ms: round1(percentile(latencies, 99)),
    maxMs: round1(latencies[latencies.length - 1] ?? NaN),
    throughputPerS: round1((opts.total / elapsed) * 1000),
    nodeCpuMsPerRequest: Math.round((used.user + used.system) / opts.total / 10) / 100,
  };
}

/** Times one call, in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: round1(performance.now() - start), value };
}

/** Samples this process's resident set size every `everyMs` while running `fn`: baseline before, peak during. */
export async function withRssSampling<T>(fn: () => Promise<T>, everyMs = 50): Promise<{ value: T; baselineMiB: number; peakMiB: number; growthMiB: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    const mib = (b: number) => round1(b / 1048576);
    return { value, baselineMiB: mib(baseline), peakMiB: mib(peak), growthMiB: mib(peak - baseline) };
  } finally {
    clearInterval(timer);
  }
}

/** GET that fails unless the answer is 200, reading the whole body. */
export async function getOk(url: string, token: string, timeoutMs = 60_000): Promise<Response> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) {
    throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
  return res;
}

export async function getJson<T>(url: string, token: string, timeoutMs?: number): Promise<T> {
  return (await (await getOk(url, token, timeoutMs)).json()) as T;
}
