#!/usr/bin/env node
// The installed `sdr` command: plain Node running the built engine in dist-cli/ (made by
// scripts/build-cli.mjs, which `npm ci` runs as the prepare script and `npm run sdr` runs when
// sources changed). No TypeScript loader and no second process: Ctrl-C reaches the command
// itself, which stops after the current epoch, saves what it has and exits 130.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist-cli', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    'sdr: the command line is not built (dist-cli/ is missing): run npm run build:cli, or npm ci\n',
  );
  process.exit(1);
}
const { runMain } = await import(pathToFileURL(main).href);
await runMain(process.argv.slice(2));
