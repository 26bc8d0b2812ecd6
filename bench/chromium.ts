/**
 * Headless Chromium for the browser benchmarks (bench/browser.ts, bench/firstMap.ts): Debian's
 * /usr/bin/chromium unless PLAYWRIGHT_CHROMIUM_PATH says otherwise ('' = Playwright's own), with
 * the flags playwright.config.ts uses.
 */
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromiumArgs.ts';

export class BrowserBenchError extends Error {
  override readonly name = 'BrowserBenchError';
}

export async function launchChromium(): Promise<Browser> {
  const path = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({
      executablePath: path === '' ? undefined : path,
      args: CHROMIUM_ARGS,
    });
  } catch (e) {
    throw new BrowserBenchError(
      `Chromium could not start (${path || "Playwright's own"}): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}. Install it (apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_PATH, or skip with --no-browser.`,
    );
  }
}
