/**
 * The flags every headless Chromium of this project starts with (playwright.config.ts for the
 * e2e specs, bench/chromium.ts for the browser benchmarks): no sandbox (root in CI), no GPU, no
 * background network or updates (nothing outside the app's origin), and a software WebGPU
 * adapter. No imports, so the Playwright config can read it.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];
