#!/usr/bin/env node
// Builds the `sdr` command line into dist-cli/: every engine module (src/, and bench/ which
// `sdr bench` loads) compiled to JavaScript one file each, in the same folder layout, with
// relative `.ts` imports rewritten to `.js`. bin/sdr.mjs then runs plain Node with no loader
// and no relay process, so Ctrl-C reaches the command itself (issue 12), and the SOM worker
// threads start from their compiled .js entry (src/som/nodePool.ts picks it by extension).
// Packages (onnxruntime-node, @huggingface/transformers, …) stay imports from node_modules.
//
//   node scripts/build-cli.mjs            build
//   node scripts/build-cli.mjs --if-stale build only when a source file is newer than the build
//
// Plain JavaScript on purpose: it runs from `npm ci` (the prepare script) before anything else.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-cli');
const stamp = join(outdir, 'BUILT');
const SOURCE_DIRS = ['src', 'bench'];

/** Every .ts module under the source folders, tests excluded. */
function sources() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) out.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  return out;
}

function isStale(files) {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return files.some((f) => statSync(f).mtimeMs > built) || statSync(join(root, 'package.json')).mtimeMs > built; // prettier-ignore
}

const files = sources();
if (process.argv.includes('--if-stale') && !isStale(files)) process.exit(0);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('build-cli: esbuild is missing: run npm ci\n');
  process.exit(1);
}

/** Relative imports stay separate files: only their extension changes, .ts → .js. */
const keepRelative = {
  name: 'keep-relative-imports',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.kind === 'entry-point'
        ? undefined
        : { path: args.path.replace(/\.ts$/, '.js'), external: true },
    );
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const started = Date.now();
await esbuild.build({
  entryPoints: files,
  outdir,
  outbase: root,
  bundle: true,
  packages: 'external',
  plugins: [keepRelative],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  outExtension: { '.js': '.js' },
  logLevel: 'warning',
});
writeFileSync(stamp, `${new Date().toISOString()}\n`);
if (!process.argv.includes('--quiet')) {
  process.stderr.write(
    `build-cli: ${files.length} modules → ${relative(root, outdir)}/ in ${Date.now() - started} ms\n`,
  );
}
