import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export interface PageLoadStats {
  path: string;
  rows: number;
  /** One entry per timed load, from the browser's Navigation Timing. */
  runs: { serverMs: number; domInteractiveMs: number; loadMs: number }[];
  medianLoadMs: number;
  medianServerMs: number;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Loads a page of the web UI in headless Chromium as a signed-in user (session cookie), once to warm up and then
 * `runs` times, and reads the browser's own Navigation Timing of each load: server time (request to last byte) and
 * the time to the load event (HTML parsed, styles and scripts run). `rowSelector` counts what was rendered, so a
 * page that answered quickly with nothing on it cannot pass for a fast one.
 */
export async function benchPageLoad(opts: { baseUrl: string; path: string; sessionToken: string; rowSelector: string; runs: number }): Promise<PageLoadStats> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ baseURL: opts.baseUrl, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'crt_session', value: opts.sessionToken, url: opts.baseUrl }]);
    const page = await context.newPage();
    const load = async () => {
      const res = await page.goto(opts.path, { waitUntil: 'load', timeout: 120_000 });
      if (res?.status() !== 200) throw new Error(`GET ${opts.path} answered ${res?.status()} in the browser`);
    };
    await load();
    const runs: PageLoadStats['runs'] = [];
    let rows = 0;
    for (let i = 0; i < opts.runs; i++) {
      await load();
      // loadEventEnd is written once the load event's handlers have returned, just after Playwright sees the event.
      await page.waitForFunction(() => (performance as unknown as { getEntriesByType(t: string): { loadEventEnd: number }[] }).getEntriesByType('navigation')[0]?.loadEventEnd > 0);
      runs.push(
        await page.evaluate(() => {
          const [n] = (performance as unknown as { getEntriesByType(t: string): Record<string, number>[] }).getEntriesByType('navigation');
          const ms = (x: number) => Math.round(x * 10) / 10;
          return { serverMs: ms(n.responseEnd - n.requestStart), domInteractiveMs: ms(n.domInteractive - n.startTime), loadMs: ms(n.loadEventEnd - n.startTime) };
        }),
      );
      rows = await page.locator(opts.rowSelector).count();
    }
    return { path: opts.path, rows, runs, medianLoadMs: median(runs.map((r) => r.loadMs)), medianServerMs: median(runs.map((r) => r.serverMs)) };
  } finally {
    await browser.close();
  }
}
