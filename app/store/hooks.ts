/**
 * React hooks over the store: the stable selector API the explorer views build on (see the note
 * at the top of mapSlice.ts). Kept apart from the slices, so a slice never imports the store.
 */
import { useMemo } from 'react';
import { gridSize, sdrFromSorted, type SdrMap, type SDR } from '../../src/index.ts';
import { unitCosines, unitsAtK } from '../../src/index.ts';
import { useAppStore } from './index.ts';
import { itemSdrFromEncoding, readDataset, type MapEncoding, type MapSource } from './mapSlice.ts';
import { displayLabel } from '../lib/labelSearch.ts';

export const useCurrentMap = (): SdrMap | null => useAppStore((s) => s.map);
export const useMapSource = (): MapSource | null => useAppStore((s) => s.mapSource);
export const useMapK = (): number => useAppStore((s) => s.k);
const useMapEncoding = (): MapEncoding | null => useAppStore((s) => s.encoding);
/** Unit labels as words (displayLabel), one array per map's labels so selectors stay stable. */
const labelsAsWords = new WeakMap<readonly string[], readonly string[]>();
function asWords(labels: readonly string[]): readonly string[] {
  let shown = labelsAsWords.get(labels);
  if (!shown) {
    shown = labels.map((l) => (l ? displayLabel(l) : l));
    labelsAsWords.set(labels, shown);
  }
  return shown;
}
/** The current map's unit labels as a person reads them (underscores as spaces), or null. */
export const useUnitLabels = (): readonly string[] | null =>
  useAppStore((s) => (s.map?.unitLabels ? asWords(s.map.unitLabels) : null));
export const useSelectedUnit = (): number | null => useAppStore((s) => s.selectedUnit);

/** Per unit, the number of dataset items whose best unit it is (m floats), or null. */
export function useHitCounts(): Float32Array | null {
  const encoding = useMapEncoding();
  const map = useCurrentMap();
  return useMemo(() => {
    if (!encoding || !map || encoding.map.som !== map.som) return null;
    const hits = new Float32Array(gridSize(map.som.grid));
    for (let i = 0; i < encoding.n; i++) hits[encoding.bmu[i]]++;
    return hits;
  }, [encoding, map]);
}

/** The last item's cosines to every unit (one item is drawn at a time; a K move reuses them). */
let lastCosines: {
  readonly som: SdrMap['som'];
  readonly data: Float32Array;
  readonly index: number;
  readonly cosines: Float32Array;
} | null = null;

function itemCosines(som: SdrMap['som'], data: Float32Array, index: number): Float32Array {
  const last = lastCosines;
  if (last && last.som === som && last.data === data && last.index === index) return last.cosines;
  const d = som.dim;
  const cosines = unitCosines(som, data.subarray(index * d, (index + 1) * d));
  lastCosines = { som, data, index, cosines };
  return cosines;
}

/**
 * Item `itemIndex` as an SDR at the current K (see the API note at the top of mapSlice.ts).
 * While the dataset's encoding lags behind a K move, the item's cosines to every unit are kept
 * (computed once per item and map) and only re-ranked at each new K: a slider drag costs a
 * top-K of m numbers per move, not m·d products.
 */
export function useItemSdr(itemIndex: number | null): SDR | null {
  const map = useCurrentMap();
  const k = useMapK();
  const encoding = useMapEncoding();
  const data = useAppStore((s) => readDataset(s)?.embeddings ?? null);
  const d = map?.som.dim ?? 0;
  return useMemo(() => {
    if (itemIndex === null || !map || !data || d === 0) return null;
    const n = data.length / d;
    if (!Number.isInteger(itemIndex) || itemIndex < 0 || itemIndex >= n) return null;
    if (
      encoding &&
      encoding.k === k &&
      encoding.map.som === map.som &&
      encoding.embeddings === data
    ) {
      return itemSdrFromEncoding(encoding, map.som.grid, itemIndex);
    }
    const cosines = itemCosines(map.som, data, itemIndex);
    return sdrFromSorted(map.som.grid, unitsAtK(cosines, Math.min(k, cosines.length)));
  }, [itemIndex, map, k, encoding, data, d]);
}
