#!/usr/bin/env node
// The installed `sdr` command. The engine is TypeScript run from source: tsx's loader is
// registered in this process (no second process, so Ctrl-C and exit codes behave as usual),
// then src/cli/main.ts runs. tsx is therefore needed at run time, not only for development.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  process.stderr.write(
    'sdr: cannot load tsx, which runs the TypeScript engine; run npm ci in the project\n',
  );
  process.exit(1);
}
register();
const { runMain } = await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
await runMain(process.argv.slice(2));
