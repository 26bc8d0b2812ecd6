/**
 * `npm run bench`: `sdr bench` (src/cli/bench.ts: SOM training, encoding, overlap search) with
 * the page's own section added last, `browser` (bench/browser.ts: the page in headless
 * Chromium, compared with the som section's Node figures of the same run). The entry lives
 * here, outside the engine, so `sdr` never loads Playwright. Same options as `sdr bench`
 * (`--quick`, `--only`, `--no-browser`).
 */
import { createBenchCommand, type BenchSection } from '../src/cli/bench.ts';
import { COMMANDS, runMain } from '../src/cli/main.ts';

const browserSection: BenchSection = {
  name: 'browser',
  async run(quick, report, io) {
    // Loaded only when run, so `--no-browser` runs start without Playwright.
    const { benchBrowser, BrowserBenchError } = await import('./browser.ts');
    const som = report.som as Record<string, unknown> | undefined;
    try {
      return await benchBrowser({ quick, nodeSom: som, log: (line) => io.stderr(`  ${line}\n`) });
    } catch (error) {
      // No Chromium here: keep the other sections' figures, and say why this one is missing.
      if (error instanceof BrowserBenchError) return { skipped: error.message };
      throw error;
    }
  },
  async table(figures) {
    const { formatBrowserTable } = await import('./browser.ts');
    if (typeof figures.skipped === 'string') return `  skipped: ${figures.skipped}`;
    return formatBrowserTable(figures as Record<string, number | string>);
  },
};

const bench = createBenchCommand([browserSection]);
await runMain(
  ['bench', ...process.argv.slice(2)],
  COMMANDS.map((c) => (c.name === 'bench' ? bench : c)),
);
