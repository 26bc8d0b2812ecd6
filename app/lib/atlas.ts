/**
 * The built-in concept atlas, as pure functions: the vocabulary, its CLIP prompts, the cache
 * key, and labelling a map's units with the nearest concept. No DOM, no workers: the train
 * worker, the store and Node tests all use these.
 */
import { type TrainConfig, makeGrid } from '../../src/index.ts';

/**
 * The prompt each concept is embedded with. "a photo of a {concept}." is the template OpenAI
 * used for CLIP's zero-shot ImageNet classifier: it tells the text tower that the concept is
 * the subject of a PHOTO, which moves concept embeddings towards where photos of that thing
 * land (CLIP's image and text embeddings sit in different regions of the sphere; the template
 * narrows that gap), so a person's photos fall on the units named after what they show. A bare
 * word would also pick up word senses that have nothing to do with pictures ("bat", "mouse").
 */
const ATLAS_PROMPT_TEMPLATE = 'a photo of a {concept}.';

/** The prompt for one concept. */
export function conceptPrompt(concept: string): string {
  return ATLAS_PROMPT_TEMPLATE.replace('{concept}', concept);
}

/** The id of the built-in atlas as a map source ('builtin' kind). */
export const ATLAS_ID = 'concepts';

/**
 * The version of the built-in atlas this page ships, written into links (`builtin=concepts@1`)
 * so a link names the map its sender saw. Raise it whenever the atlas's units or items change.
 */
export const ATLAS_VERSION = 1;

/** Where the page fetches the vocabulary from (relative to the app's base URL). */
export const VOCABULARY_PATH = 'vocab/concepts.txt';

/** Most concepts a vocabulary may hold (embedding 10,000 prompts already takes minutes). */
const MAX_CONCEPTS = 10_000;

export class VocabularyError extends Error {
  override readonly name = 'VocabularyError';
}

/**
 * The concepts of a vocabulary file: one per line, trimmed; blank lines and lines starting with
 * '#' are skipped, repeats are kept once (first place wins). Refuses an empty or oversized list.
 */
export function parseVocabulary(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || seen.has(line)) continue;
    if (line.length > 100) {
      throw new VocabularyError(
        `A vocabulary line is over 100 characters: "${line.slice(0, 40)}…".`,
      );
    }
    seen.add(line);
    out.push(line);
  }
  if (out.length === 0) throw new VocabularyError('The vocabulary file holds no concepts.');
  if (out.length > MAX_CONCEPTS) {
    throw new VocabularyError(
      `The vocabulary holds ${out.length} concepts; at most ${MAX_CONCEPTS} are supported.`,
    );
  }
  return out;
}

/** SHA-256 of the text as 64 hex digits (Web Crypto: the same in browsers and Node 20). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The settings the atlas is trained with: the defaults measured on real CLIP embeddings
 * (32×32, 20 batch epochs, σ from 16 down to 1.0, PCA initialisation, seed 1).
 */
export function atlasTrainConfig(): TrainConfig {
  return {
    grid: makeGrid(32, 32, 'rect'),
    epochs: 20,
    seed: 1,
    init: 'pca',
    radiusStart: 16,
    radiusEnd: 1,
  };
}

/** K the atlas's novelty calibration uses (≈2% of 1,024 units). */
export const ATLAS_K = 20;

/**
 * The cache key of an atlas: everything that changes the result. A new model, an edited
 * vocabulary, another prompt or other training settings give another key, so a stale atlas is
 * never shown.
 */
export function atlasCacheKey(
  modelId: string,
  vocabularyHash: string,
  config: TrainConfig,
): string {
  const { grid, epochs, seed, init, radiusStart, radiusEnd } = config;
  return [
    'atlas-v1',
    modelId,
    vocabularyHash.slice(0, 16),
    ATLAS_PROMPT_TEMPLATE,
    `${grid.rows}x${grid.cols}${grid.topology}`,
    `e${epochs}s${seed}${init}r${radiusStart}-${radiusEnd}k${ATLAS_K}`,
  ].join('|');
}

/** A vocabulary embedded with one model: labels any map in that model's space. */
export interface Vocabulary {
  readonly modelId: string;
  readonly concepts: readonly string[];
  /** concepts.length·dim floats, unit-length rows, in concept order. */
  readonly vectors: Float32Array;
  readonly dim: number;
}

function checkRows(what: string, data: Float32Array, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1 || data.length !== n * d) {
    throw new RangeError(`${what} must hold ${n}×${d} floats, got ${data.length}`);
  }
}

/**
 * The `count` rows of `data` (n·d, unit length) nearest by cosine to `query` (d floats, any
 * length), best first; ties go to the lower row. For "top items of a unit".
 */
export function nearestRows(
  query: Float32Array,
  data: Float32Array,
  n: number,
  d: number,
  count: number,
): { index: Uint32Array; cosine: Float32Array } {
  if (query.length !== d) throw new RangeError(`query must hold ${d} floats, got ${query.length}`);
  if (n === 0) return { index: new Uint32Array(0), cosine: new Float32Array(0) };
  checkRows('the data', data, n, d);
  let qn = 0;
  for (let t = 0; t < d; t++) qn += query[t] * query[t];
  const inv = qn > 0 ? 1 / Math.sqrt(qn) : 0;
  const c = Math.max(0, Math.min(count, n));
  // A small sorted list (insertion into c slots): c is a handful, n can be large.
  const idx = new Uint32Array(c);
  const val = new Float64Array(c).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += query[t] * data[o + t];
    if (c === 0 || s <= val[c - 1]) continue;
    let p = c - 1;
    while (p > 0 && val[p - 1] < s) {
      val[p] = val[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    val[p] = s;
    idx[p] = i;
  }
  return { index: idx, cosine: Float32Array.from(val, (s) => s * inv) };
}
