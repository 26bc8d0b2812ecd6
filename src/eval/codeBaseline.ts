/**
 * The map's SDRs beside a random code with the same units and K (randomCode.ts), each measured
 * the same way (codeClaims.ts): one function, so the page's claim check (claims.ts, in the lab
 * worker) and `sdr claims` give the same numbers for the same map, items, seed and queries.
 */
import { encodeBatch } from '../encode/encode.ts';
import { qeScores } from '../encode/noveltyScores.ts';
import type { SomModel } from '../som/types.ts';
import { createRng } from '../util/random.ts';
import { mannWhitneyAuc } from './auc.ts';
import { measureCodeClaims, type CodeClaims } from './codeClaims.ts';
import { encodeRandomCode, randomCode } from './randomCode.ts';
import { randomUnitRows } from './synthetic.ts';

/** Fewest items the comparison measures (10 neighbours plus the query, and a spare). */
export const BASELINE_MIN_ITEMS = 12;

/** Random unit vectors the map's QE novelty AUC is measured with. */
const QE_PROBES = 200;

export interface BaselineInput {
  readonly som: SomModel;
  /** n·d unit-length embeddings. */
  readonly data: Float32Array;
  readonly n: number;
  /** Active units per SDR, of both codes. */
  readonly k: number;
  /** The map's n·k SDR rows of `data` at K = k; null to encode them here. */
  readonly active: Uint32Array | null;
}

export interface BaselineOptions {
  /** Items used as queries (recall, noise); default 200, at most n. */
  readonly queries?: number;
  /** Seed of the random code and of every draw; default 1. */
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

export interface CodeBaseline {
  /** The four measures on the map's SDRs. */
  readonly map: CodeClaims;
  /** The same on the random code, with its fan-in and seed. */
  readonly randomCode: CodeClaims & { readonly fanIn: number; readonly seed: number };
  /** AUC of the map's QE, random unit vectors against the items (rounded to 4 places). */
  readonly mapNoveltyQeAucRandomVectors: number;
  readonly queries: number;
  readonly seed: number;
}

/** Measure both codes' claims on n items (n ≥ BASELINE_MIN_ITEMS). */
export function compareWithRandomCode(
  input: BaselineInput,
  options: BaselineOptions = {},
): CodeBaseline {
  const { som, data, n, k } = input;
  const grid = som.grid;
  const d = som.dim;
  if (n < BASELINE_MIN_ITEMS) {
    throw new RangeError(`the comparison needs at least ${BASELINE_MIN_ITEMS} items, got ${n}`);
  }
  const seed = options.seed ?? 1;
  const queries = Math.min(n, options.queries ?? 200);
  const stage = (offset: number) =>
    options.onProgress &&
    ((done: number, total: number, what: string) =>
      options.onProgress!(offset + done, 2 * total, what));
  const mapActive = input.active ?? encodeBatch(som, data, n, { k }).active;
  const map = measureCodeClaims(
    grid,
    k,
    mapActive,
    (rows, count) => encodeBatch(som, rows, count, { k }).active,
    data,
    n,
    d,
    { queries, seed, onProgress: stage(0) },
  );
  const code = randomCode(grid, d, seed);
  const random = measureCodeClaims(
    grid,
    k,
    encodeRandomCode(code, data, n, k),
    (rows, count) => encodeRandomCode(code, rows, count, k),
    data,
    n,
    d,
    { queries, seed, onProgress: stage(4) },
  );
  const probes = randomUnitRows(QE_PROBES, d, createRng(seed + 7));
  const qeAuc = mannWhitneyAuc(qeScores(som, probes, QE_PROBES), qeScores(som, data, n));
  return {
    map,
    randomCode: { fanIn: code.fanIn, seed, ...random },
    mapNoveltyQeAucRandomVectors: Number(qeAuc.toFixed(4)),
    queries,
    seed,
  };
}
