import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './bench/chromiumArgs.ts';

// Debian's Chromium by default (Playwright cannot download its own browser here); set
// PLAYWRIGHT_CHROMIUM_PATH to use another build, or to '' to use Playwright's bundled one.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 4317);
const outDir = `.e2e-dist/${port}`;

/** Largest request head the preview server reads (Node's default, 16 KiB, refuses long links). */
const MAX_HEADER_BYTES = 1024 * 1024;

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: executablePath === '' ? undefined : executablePath,
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    // Each port builds into its own folder so parallel runs never overwrite each other's build.
    command: `npm run fixture && npx vite build --outDir ${outDir} --emptyOutDir && npx vite preview --outDir ${outDir} --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    env: {
      // share.spec.ts serves hostile maps from a plain-http local port: the build must allow it
      // (the default policy does not; see vite.config.ts connectSrcExtra).
      SDR_CONNECT_SRC: 'http://127.0.0.1:*',
      // As `npm start` does: a 100,000-character link must reach the page, which refuses it in
      // its own words, instead of the server answering 431.
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --max-http-header-size=${MAX_HEADER_BYTES}`.trim(),
    },
    timeout: 240_000,
  },
});
