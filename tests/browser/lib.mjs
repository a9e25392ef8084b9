// Shared by every journey: one headless Chromium (Debian's, driven by
// playwright-core), pages at a phone's size, axe-core checks and screenshots.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = process.env.PONTE_SCREENSHOTS || 'target/browser-screenshots';
// A generous bound for one step: CI shares two cores between builds and tests.
export const STEP_TIMEOUT = 20_000;

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  // Playwright gives every launch a fresh temporary --user-data-dir itself.
  return chromium.launch({
    executablePath: process.env.PONTE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // The SDK journey's integrator page and Ponte are both on loopback
      // (localhost vs 127.0.0.1); in production they are public origins.
      '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults',
    ],
  });
}

/** A phone-sized page whose browser prefers `locale` (e.g. 'pt-BR', 'en-US'). */
export async function phone(browser, locale = 'pt-BR') {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale,
    deviceScaleFactor: 1,
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.problems = problems;
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** axe-core on the current screen: fails on serious or critical violations. */
export async function axe(page, name) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // The page's CSP forbids inline scripts; evaluate() runs outside it.
    await page.evaluate(AXE_SOURCE);
  }
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const text = bad
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)
      .join('\n  ');
    throw new Error(`axe on ${name}:\n  ${text}`);
  }
}

/** No horizontal scroll at the page's width. */
export async function fitsWidth(page, name) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  if (scroll > client) throw new Error(`${name}: horizontal scroll (${scroll}px > ${client}px)`);
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** Runs each journey, prints a line for each, exits 1 if any failed. */
export async function run(journeys) {
  const browser = await launch();
  let failed = 0;
  try {
    for (const [name, journey] of journeys) {
      const started = Date.now();
      try {
        await journey(browser);
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed += 1;
        console.log(`FAIL ${name}: ${e.stack || e}`);
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
}
