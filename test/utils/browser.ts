import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

import { TEST_PASSWORD } from './app';

/** Debian's Chromium, headless; one browser per test file (contexts are cheap, browsers are not). */
// Browser globals used inside page.evaluate (the project compiles without the DOM library).
declare const window: { innerWidth: number; axe?: { run(context: unknown, options: object): Promise<{ violations: unknown[] }> } };
declare const document: { documentElement: { scrollHeight: number; scrollWidth: number } };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser suite can run. Without Chromium a developer's `npm test` skips it with a notice; in CI
 * (CI=true, where .ci/run installs Chromium) a missing browser is a failure, never a silent skip.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}: the browser tests cannot run`);
  process.stderr.write(`\nSkipping the browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
  return false;
}

/**
 * Ceilings, never expectations: on a shared 2-core machine under load a page can take many times longer than on a
 * laptop, and a test that fails because the machine is busy says nothing about the product. Every wait is for a
 * real condition (an element, a URL, an event), so a healthy run never comes near these. One step (a navigation, a
 * click's effect, an element showing up) may take up to BROWSER_STEP_MS; one test, many steps, up to BROWSER_TEST_MS.
 */
export const BROWSER_STEP_MS = 120_000;
export const BROWSER_TEST_MS = 10 * 60_000;

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: BROWSER_STEP_MS,
  });

/**
 * A fresh browser profile (own cookies) that records the page errors and console errors of its pages, including
 * Content-Security-Policy violations (the pages' CSP stays on: axe-core is injected through the DevTools protocol).
 */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext & { errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(BROWSER_STEP_MS);
  context.setDefaultNavigationTimeout(BROWSER_STEP_MS);
  const errors: string[] = [];
  context.on('page', (page) => {
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
    });
  });
  return Object.assign(context, { errors });
}

export async function signIn(page: Page, email: string, password = TEST_PASSWORD): Promise<void> {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

const axeSource = readFileSync(createRequire(join(process.cwd(), 'package.json')).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the current page, as readable lines. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => window.axe !== undefined))) await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    return (await window.axe!.run(document, { resultTypes: ['violations'] })).violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${JSON.stringify(v.nodes[0]?.target)})`);
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/** Screenshots at desktop (1280) and phone (390) widths; long pages are cut at 2400 px. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 2400) } });
  }
  await page.setViewportSize(original);
}

/** Horizontal overflow of the page itself at a width (wide tables scroll inside their own box instead). */
export async function pageOverflowsAt(page: Page, width: number): Promise<boolean> {
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  await page.setViewportSize(original);
  return overflow;
}
