import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as engine from './index.ts';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Modules a browser worker cannot load (or must never bundle). */
const NODE_ONLY = /^(node:|fs$|path$|os$|worker_threads$|child_process$|onnxruntime-node$|tsx)/;

/** Every module reachable from `entry` by static or dynamic import, and the bare ones it names. */
function reach(entry: string): { files: Set<string>; external: Map<string, string> } {
  const files = new Set<string>();
  const external = new Map<string, string>();
  const pending = [entry];
  const spec = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm; // prettier-ignore
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(spec)) {
      const target = m[1] ?? m[2] ?? m[3];
      if (target.startsWith('.')) pending.push(join(dirname(file), target));
      else if (!external.has(target)) external.set(target, relative(SRC, file));
    }
  }
  return { files, external };
}

describe('src/index.ts, the public door', () => {
  it('reaches no Node-only module, so the page and its workers can import it', () => {
    const { files, external } = reach(join(SRC, 'index.ts'));
    const nodeOnly = [...external].filter(([name]) => NODE_ONLY.test(name));
    expect(nodeOnly.map(([name, from]) => `${name} (from ${from})`)).toEqual([]);
    const reached = [...files].map((f) => relative(SRC, f));
    for (const f of ['som/node.ts', 'som/nodePool.ts', 'som/ortNode.ts']) {
      expect(reached).not.toContain(f);
    }
    expect(reached.some((f) => f.startsWith('cli/') || f.startsWith('embed/'))).toBe(false);
  });

  it('opens onto every room: grid, random, SDRs, SOM, encoding, files and sharing', () => {
    const names = [
      'makeGrid',
      'parseGridSpec',
      'createRng',
      'makeSDR',
      'overlap',
      'OverlapIndex',
      'createTrainer',
      'defaultTrainConfig',
      'createJsBackend',
      'encodeBatch',
      'noveltyPercentile',
      'readEmbeddings',
      'encodeMapFile',
      'decodeMapFile',
      'parseShareState',
      'encodeBase64Url',
    ];
    const missing = names.filter((n) => typeof (engine as Record<string, unknown>)[n] !== 'function'); // prettier-ignore
    expect(missing).toEqual([]);
  });
});
