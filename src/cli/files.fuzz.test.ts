/**
 * Fuzz the command line's file readers as src/io/mapFile.test.ts fuzzes the map reader: damaged
 * and hostile .npy, CSV/TSV, JSON and labels files must each give valid embeddings and clean
 * labels, or one refusal line with exit code 2, never a crash (exit 1) or a hang. 10,400 cases;
 * a few seconds. A smaller share goes through real files (readInputFile) as well.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEmbeddingsCsv, writeEmbeddingsJson } from '../io/embeddings.ts';
import { mutate } from '../io/mutate.ts';
import { writeNpy } from '../io/npy.ts';
import { plainTextProblem } from '../io/text.ts';
import { createRng, randomInt, type Rng } from '../util/random.ts';
import { embeddingsFromBytes, loadEmbeddings, type LoadedEmbeddings } from './files.ts';
import { reportError } from './main.ts';
import { scratchDir } from './testKit.ts';
import { checkTrainInput } from './validate.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const enc = (s: string) => new TextEncoder().encode(s);

function values(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => rng() * 2 - 1);
}

const LABELS = ['cat', 'b, c', '=HYPERLINK("x")', 'é🙂'];
const data = values(4, 3, 5);

/** Valid files of every kind the command reads, damaged by `mutate` in each case. */
const EMBEDDINGS: readonly [Uint8Array, string][] = [
  [writeNpy(data, [4, 3]), 'e.npy'],
  [writeNpy(data, [4, 3], { dtype: 'f2' }), 'h.npy'],
  [writeNpy(data, [12]), 'flat.npy'],
  [enc(writeEmbeddingsCsv(data, 4, 3, LABELS)), 'e.csv'],
  [enc(writeEmbeddingsCsv(data, 4, 3, undefined, { delimiter: '\t' })), 'e.tsv'],
  [enc(writeEmbeddingsJson(data, 4, 3, LABELS)), 'e.json'],
  [enc('[{"embedding":[1,2,3],"label":"a"},{"vector":[3,4,5],"label":"b"},{"embedding":[0,1,0],"label":"c"},{"embedding":[1,1,1],"label":"d"}]'), 'o.json'], // prettier-ignore
];
const LABEL_FILES: readonly Uint8Array[] = [
  enc('cat\ndog\nbird\nfish\n'),
  enc('id,label\n1,cat\n2,"dog, big"\n3,bird\n4,fish\n'),
  enc('\ufeffa\r\nb\r\nc\r\nd\r\n'),
];

/**
 * Hostile text that no mutation of the seeds would make by chance: usually four lines (one per
 * row, so the labels are taken and must come out clean), sometimes any number.
 */
function hostileLabels(rng: Rng): Uint8Array {
  const pieces = ['\u0000', '\u202E', '\t', '\u2066', '"', ',', '\ud800', '\u0085', 'x', '=1+1', ' ', '\u007f']; // prettier-ignore
  const line = () => {
    let s = '';
    const len = randomInt(rng, 30);
    for (let i = 0; i < len; i++) s += pieces[randomInt(rng, pieces.length)];
    return s;
  };
  const lines = rng() < 0.8 ? 4 : randomInt(rng, 8);
  return enc(Array.from({ length: lines }, line).join(rng() < 0.5 ? '\n' : '\r\n'));
}

/** Why `e` breaks what a command relies on, or null. */
function problemWith(e: LoadedEmbeddings): string | null {
  if (!(e.n >= 1 && e.d >= 2 && e.data.length === e.n * e.d)) return `shape ${e.n}×${e.d}`;
  for (let i = 0; i < e.n; i++) {
    let s = 0;
    for (let j = 0; j < e.d; j++) s += e.data[i * e.d + j] ** 2;
    if (!(Math.abs(Math.sqrt(s) - 1) < 1e-3)) return `row ${i} has length ${Math.sqrt(s)}`;
  }
  if (e.labels && e.labels.length !== e.n) return 'label count';
  for (const label of e.labels ?? []) {
    const bad = plainTextProblem(label);
    if (bad || label.length > 1000 || /[\u202a-\u202e\u2066-\u2069]/.test(label)) {
      return `label ${JSON.stringify(label)} ${bad ?? 'is unsafe'}`;
    }
  }
  try {
    checkTrainInput(e);
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'CliError')
      return `checkTrainInput threw ${String(err)}`;
  }
  return null;
}

/** The exit code and message the command would give for `err`: must be 2, on one line. */
function refusal(err: unknown): { code: number; text: string } {
  let text = '';
  const code = reportError(err, { stdout: () => undefined, stderr: (s) => void (text += s) });
  return { code, text };
}

describe('fuzz: the command line reads damaged and hostile files cleanly', () => {
  it('10,000 in-memory cases across .npy, CSV, TSV, JSON and labels files', () => {
    const rng = createRng(2026);
    const failures: string[] = [];
    let read = 0;
    for (let i = 0; i < 10_000 && failures.length < 5; i++) {
      const [seed, name] = EMBEDDINGS[i % EMBEDDINGS.length];
      // A third of the cases damage a labels file instead (its embeddings stay valid).
      const withLabels = i % 3 === 0;
      const embBytes = withLabels ? seed : mutate(seed, rng);
      const labelBytes = withLabels
        ? i % 2 === 0
          ? hostileLabels(rng)
          : mutate(LABEL_FILES[randomInt(rng, LABEL_FILES.length)], rng)
        : undefined;
      try {
        const e = embeddingsFromBytes(
          embBytes,
          name,
          labelBytes ? { path: 'labels.txt', bytes: labelBytes } : undefined,
        );
        const bad = problemWith(e);
        if (bad) failures.push(`case ${i} (${name}): ${bad}`);
        read++;
      } catch (err) {
        const { code, text } = refusal(err);
        if (code !== 2 || text.split('\n').length !== 2 || !text.startsWith('sdr: ')) {
          failures.push(`case ${i} (${name}): exit ${code}: ${text.trim()}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Some damage leaves a readable file (a changed digit), so both paths are exercised.
    expect(read).toBeGreaterThan(500);
  });

  it('400 cases through real files, as the command reads them', async () => {
    const rng = createRng(7);
    for (let i = 0; i < 400; i++) {
      const [seed, name] = EMBEDDINGS[i % EMBEDDINGS.length];
      const path = scratch.path(`${i}-${name}`);
      writeFileSync(path, mutate(seed, rng));
      try {
        const bad = problemWith(await loadEmbeddings(path));
        expect(bad, `case ${i}`).toBeNull();
      } catch (err) {
        expect(refusal(err).code, `case ${i}: ${String(err)}`).toBe(2);
      }
    }
  });
});
