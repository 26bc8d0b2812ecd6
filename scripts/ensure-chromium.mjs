#!/usr/bin/env node
// End-to-end tests drive a real Chromium. Playwright cannot download its own browser on
// machines without internet access, so we use the system one (Debian's `chromium`), installing
// it with apt when we run as root and it is missing. PLAYWRIGHT_CHROMIUM_PATH overrides the path
// ('' means Playwright's own bundled browser).
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const path = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
if (path === '' || existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (path === '/usr/bin/chromium' && isRoot && existsSync('/usr/bin/apt-get')) {
  console.error('Chromium is missing: installing Debian chromium with apt-get …');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
  if (existsSync(path)) process.exit(0);
}
console.error(
  `No Chromium at ${path}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set ` +
    `PLAYWRIGHT_CHROMIUM_PATH to a Chromium/Chrome executable.`,
);
process.exit(1);
