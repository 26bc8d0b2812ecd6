/**
 * The explorer's items (dataset items, then mixtures) scored on the current map at the current
 * K. The dataset part comes from the map slice's encoding (the encode worker); while that is
 * catching up with a new K, a small dataset is encoded here at once so sliders feel live, and
 * a large one waits ('encoding'). Mixtures are a handful of rows: always encoded here.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { encodeRows, type EncodedRows } from '../../../src/index.ts';
import { useAppStore } from '../../store/index.ts';
import {
  listExploreItems,
  usableMixtures,
  type ExploreItem,
  type ExploreSource,
} from '../../store/exploreItems.ts';
import { scoreEncoded, sortedClusterCounts, type ScoredItems } from './scoredItems.ts';
import { gridSize, type SdrMap } from '../../../src/index.ts';

/** Multiply-adds (n·m·d) the main thread may spend re-encoding the dataset while the worker catches up. */
const MAIN_THREAD_BUDGET = 2e7;

type ScoredStatus = 'no-map' | 'no-items' | 'other-dimension' | 'encoding' | 'ready';

export interface ScoredView {
  readonly status: ScoredStatus;
  readonly map: SdrMap | null;
  readonly items: readonly ExploreItem[];
  /** One entry per item of `items`, in the same order; null unless status is 'ready'. */
  readonly scores: ScoredItems | null;
  /** Cluster counts of the single (non-mixture) items, ascending: what spread is compared with. */
  readonly singleClusters: Uint16Array | null;
}

/**
 * `compute` remembering its last arguments and result: every view that scores items asks with
 * the same store arrays, so the second view (and the same view opened again) reuses the first
 * one's list and scores instead of building them again over every item.
 */
function lastOf<A extends readonly unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { readonly args: A; readonly value: R } | null = null;
  return (...args: A): R => {
    if (last && last.args.every((a, i) => Object.is(a, args[i]))) return last.value;
    const value = compute(...args);
    last = { args, value };
    return value;
  };
}

const exploreList = lastOf(
  (
    items: ExploreSource['items'],
    embeddings: Float32Array,
    embeddingDim: number,
    mixtures: ExploreSource['mixtures'],
  ) => listExploreItems({ items, embeddings, embeddingDim, mixtures }),
);

const mixtureEncoding = lastOf(
  (map: SdrMap, k: number, mixtures: ExploreSource['mixtures'], d: number): EncodedRows | null => {
    const usable = usableMixtures(mixtures, d);
    if (usable.length === 0) return null;
    const data = new Float32Array(usable.length * d);
    usable.forEach((m, i) => data.set(m.embedding, i * d));
    return encodeRows(map, data, usable.length, k);
  },
);

const scoredList = lastOf(
  (map: SdrMap, datasetRows: EncodedRows | null, mixtureRows: EncodedRows | null) => {
    const parts = [datasetRows, mixtureRows].filter((p): p is EncodedRows => p !== null);
    const scores = scoreEncoded(map.som.grid, parts);
    const nData = datasetRows?.n ?? 0;
    return { scores, singleClusters: sortedClusterCounts(scores, (i) => i < nData) };
  },
);

export function useScoredItems(): ScoredView {
  const { map, k, encoding, items, embeddings, embeddingDim, mixtures } = useAppStore(
    useShallow((s) => ({
      map: s.map,
      k: s.k,
      encoding: s.encoding,
      items: s.items,
      embeddings: s.embeddings,
      embeddingDim: s.embeddingDim,
      mixtures: s.mixtures,
    })),
  );

  const list = useMemo(
    () => exploreList(items, embeddings, embeddingDim, mixtures),
    [items, embeddings, embeddingDim, mixtures],
  );

  const datasetRows = useMemo((): EncodedRows | 'pending' | null => {
    if (!map || items.length === 0 || embeddingDim !== map.som.dim) return null;
    if (
      encoding &&
      encoding.k === k &&
      encoding.map.som === map.som &&
      encoding.embeddings === embeddings
    ) {
      return encoding;
    }
    const n = items.length;
    if (embeddings.length !== n * embeddingDim) return 'pending';
    if (n * gridSize(map.som.grid) * embeddingDim > MAIN_THREAD_BUDGET) return 'pending';
    return encodeRows(map, embeddings, n, k);
  }, [map, k, encoding, items.length, embeddings, embeddingDim]);

  const mixtureRows = useMemo(
    (): EncodedRows | null =>
      map && embeddingDim === map.som.dim ? mixtureEncoding(map, k, mixtures, embeddingDim) : null,
    [map, k, mixtures, embeddingDim],
  );

  return useMemo((): ScoredView => {
    const empty = { map, items: list, scores: null, singleClusters: null };
    if (!map) return { ...empty, status: 'no-map' };
    if (list.length === 0) return { ...empty, status: 'no-items' };
    if (embeddingDim !== map.som.dim) return { ...empty, status: 'other-dimension' };
    if (datasetRows === 'pending') return { ...empty, status: 'encoding' };
    const { scores, singleClusters } = scoredList(map, datasetRows, mixtureRows);
    return { status: 'ready', map, items: list, scores, singleClusters };
  }, [map, list, embeddingDim, datasetRows, mixtureRows]);
}
